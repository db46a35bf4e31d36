import { z } from 'zod';
import { createVendorHttp } from '../identity/vendorHttp.js';
import type { PmrOrder, PmrPatient, PmrSync } from './port.js';

export type TitanPmrConfig = {
  /** TitanPMR's API base URL; the stand-in's `url` in development and tests. */
  baseUrl: string;
  apiKey: string;
  /** Bounds each call; the platform's retry schedule does the rest. */
  timeoutMs?: number;
};

const patientResponse = z.object({ patientId: z.string().min(1) });
const orderResponse = z.object({ orderId: z.string().min(1), patientId: z.string().min(1) });
const titanProblem = z.object({ code: z.string(), detail: z.string() });

const toTitanPatient = (patient: PmrPatient) => ({
  forename: patient.firstName,
  surname: patient.lastName,
  dateOfBirth: patient.dateOfBirth,
  address: {
    line1: patient.address.line1,
    ...(patient.address.line2 ? { line2: patient.address.line2 } : {}),
    town: patient.address.town,
    postcode: patient.address.postcode,
  },
  ...(patient.nhsNumber ? { nhsNumber: patient.nhsNumber.replace(/\s+/g, '') } : {}),
  ...(patient.email ? { email: patient.email } : {}),
  ...(patient.phone ? { mobile: patient.phone } : {}),
});

const authorisation = (order: PmrOrder) =>
  order.prescriptionId !== undefined
    ? { type: 'prescription', prescriptionId: order.prescriptionId }
    : { type: 'pharmacist_approval', approvalReference: order.pharmacistApprovalRef };

/**
 * Two calls: the patient is upserted under the platform's id (harmless to repeat), then the order
 * is created with the idempotency key. A retry after a failure between them repeats the upsert
 * and creates the order once.
 */
export const createTitanPmrSync = (config: TitanPmrConfig): PmrSync => {
  const http = createVendorHttp({
    vendor: 'titanpmr',
    label: 'TitanPMR',
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs ?? 15_000,
    headers: { authorization: `Bearer ${config.apiKey}` },
    readError: (body) => {
      const parsed = titanProblem.safeParse(body);
      return parsed.success ? { code: parsed.data.code, message: parsed.data.detail } : undefined;
    },
  });

  return {
    async pushPatientAndOrder({ idempotencyKey, patient, order }) {
      const filed = await http.json(
        {
          method: 'PUT',
          path: `api/v1/patients/${encodeURIComponent(patient.patientRef)}`,
          body: toTitanPatient(patient),
        },
        patientResponse,
      );
      const created = await http.json(
        {
          method: 'POST',
          path: 'api/v1/orders',
          headers: { 'idempotency-key': idempotencyKey },
          body: {
            patientId: filed.patientId,
            externalReference: order.reference,
            lines: order.items.map((item) => ({
              description: item.productName,
              quantity: item.quantity,
              ...(item.dosage ? { strength: item.dosage } : {}),
              ...(item.instructions ? { directions: item.instructions } : {}),
            })),
            authorisation: authorisation(order),
          },
        },
        orderResponse,
      );
      return { pmrPatientId: created.patientId, pmrOrderId: created.orderId };
    },
  };
};
