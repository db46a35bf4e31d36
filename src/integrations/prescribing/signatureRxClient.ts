import { z } from 'zod';
import { type Clock, systemClock } from '../../platform/clock.js';
import { createVendorHttp } from '../identity/vendorHttp.js';
import type { PrescribingService, PrescriptionWebhookEvent } from './port.js';
import { readSignedJson, UnreadableWebhookError } from './signedWebhook.js';

export type SignatureRxConfig = {
  /** SignatureRx's API base URL; the stand-in's `url` in development and tests. */
  baseUrl: string;
  apiKey: string;
  /** The secret SignatureRx signs webhooks with. */
  webhookSecret: string;
  /** Bounds each call; the platform's retry schedule does the rest. */
  timeoutMs?: number;
  /** Judges a webhook signature's age. */
  clock?: Clock;
};

const VENDOR = 'signaturerx';

const prescription = z.object({
  id: z.string().min(1),
  status: z.enum(['awaiting_signature', 'signed', 'cancelled']),
  signingUrl: z.url(),
});

const srxError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const instant = z.iso.datetime({ offset: true });
const webhook = z.object({
  id: z.string().min(1),
  type: z.string(),
  data: z.object({ prescriptionId: z.string().min(1), clinicReference: z.string() }).loose(),
});
const signedData = z.object({ signedAt: instant });
const cancelledData = z.object({ cancelledAt: instant, reason: z.string() });

const read = <Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new UnreadableWebhookError(
      VENDOR,
      'malformed',
      `SignatureRx ${what} is not in the shape we read`,
      parsed.error,
    );
  }
  return parsed.data;
};

export const createSignatureRxPrescribing = (config: SignatureRxConfig): PrescribingService => {
  const clock = config.clock ?? systemClock;
  const http = createVendorHttp({
    vendor: VENDOR,
    label: 'SignatureRx',
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs ?? 15_000,
    headers: { authorization: `Bearer ${config.apiKey}` },
    readError: (body) => {
      const parsed = srxError.safeParse(body);
      return parsed.success ? parsed.data.error : undefined;
    },
  });

  return {
    async createPrescription(input) {
      const { patient, prescriber } = input;
      const created = await http.json(
        {
          method: 'POST',
          path: 'api/v1/prescriptions',
          headers: { 'idempotency-key': input.idempotencyKey },
          body: {
            clinicReference: input.consultationRef,
            patient: {
              fullName: patient.name,
              dateOfBirth: patient.dob,
              address: {
                line1: patient.address.line1,
                ...(patient.address.line2 ? { line2: patient.address.line2 } : {}),
                city: patient.address.town,
                postcode: patient.address.postcode,
              },
              ...(patient.nhsNumber ? { nhsNumber: patient.nhsNumber } : {}),
            },
            prescriber: {
              externalId: prescriber.id,
              fullName: prescriber.name,
              registrationNumber: prescriber.gphcOrGmcNumber,
            },
            medicines: input.items.map((item) => ({
              name: item.productName,
              strength: item.dosage,
              quantity: item.quantity,
              directions: item.instructions,
            })),
            durationMonths: input.coversMonths,
          },
        },
        prescription,
      );
      // A replayed create answers as the first one did, so the status is always the one we asked for.
      return { prescriptionId: created.id, status: 'awaiting_signature', signingUrl: created.signingUrl };
    },

    async findPrescription(consultationRef) {
      const found = await http.json(
        {
          method: 'GET',
          path: `api/v1/prescriptions?clinicReference=${encodeURIComponent(consultationRef)}`,
        },
        z.object({ data: z.array(prescription) }),
      );
      const live = found.data.find((rx) => rx.status !== 'cancelled');
      return live
        ? { prescriptionId: live.id, status: 'awaiting_signature', signingUrl: live.signingUrl }
        : null;
    },

    async cancelPrescription(input) {
      const cancelled = await http.json(
        {
          method: 'POST',
          path: `api/v1/prescriptions/${encodeURIComponent(input.prescriptionId)}/cancel`,
          headers: { 'idempotency-key': input.idempotencyKey },
          body: { reason: input.reason },
        },
        prescription.extend({ status: z.literal('cancelled') }),
      );
      return { prescriptionId: cancelled.id, status: 'cancelled' };
    },

    parseWebhook(rawBody, headers): PrescriptionWebhookEvent {
      const body = readSignedJson({ vendor: VENDOR, rawBody, headers, secret: config.webhookSecret, clock });
      const event = read(webhook, body, 'webhook');
      const common = {
        eventId: event.id,
        prescriptionId: event.data.prescriptionId,
        consultationRef: event.data.clinicReference,
      };
      switch (event.type) {
        case 'prescription.signed': {
          const data = read(signedData, event.data, 'prescription.signed');
          return { kind: 'signed', ...common, signedAt: new Date(data.signedAt).toISOString() };
        }
        case 'prescription.cancelled': {
          const data = read(cancelledData, event.data, 'prescription.cancelled');
          return {
            kind: 'cancelled',
            ...common,
            cancelledAt: new Date(data.cancelledAt).toISOString(),
            reason: data.reason,
          };
        }
        default:
          throw new UnreadableWebhookError(
            VENDOR,
            'unsupported_event',
            `SignatureRx event ${event.type} is not one we act on`,
          );
      }
    },
  };
};
