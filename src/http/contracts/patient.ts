import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/prescription/orderEvents.js';
import type { Wire } from './common.js';

/**
 * What a US patient's links answer (`/api/patient/…`). The contract is also the limit: a member not
 * listed here never reaches the patient's browser, whatever the read model holds.
 */

export const enrollmentInfo = z.object({
  orderId: z.string(),
  patient: z.object({
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    dateOfBirth: z.string().optional(),
  }),
  medication: z.object({
    description: z.string().optional(),
    quantity: z.string().optional(),
    daysSupply: z.string().optional(),
  }),
  prescriber: z.object({ name: z.string() }),
  expiresAt: z.string(),
  cardsUploaded: z.object({ front: z.boolean(), back: z.boolean() }),
  consent: z.object({ version: z.string(), text: z.string() }),
});
export type EnrollmentInfo = Wire<typeof enrollmentInfo>;

export const patientMoney = z.object({
  chargedMinor: z.number().int(),
  refundedMinor: z.number().int(),
  refundPendingMinor: z.number().int(),
  refunds: z.array(
    z.object({
      amountMinor: z.number().int(),
      status: z.enum(['requested', 'settled', 'failed']),
      requestedAt: z.string(),
      settledAt: z.string().nullable(),
    }),
  ),
});
export type PatientMoney = Wire<typeof patientMoney>;

export const patientOrder = z.object({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  statusSince: z.string(),
  medication: z.string().nullable(),
  pharmacy: z.string().nullable(),
  payment: z.object({
    status: z.string(),
    url: z.string().nullable(),
    amountMinor: z.number().int().nullable(),
  }),
  /** Null for an order whose view predates the ledger. */
  money: patientMoney.nullable(),
  shipment: z
    .object({ carrier: z.string(), trackingNumber: z.string(), trackingUrl: z.string().nullable() })
    .nullable(),
  tracking: z.array(z.object({ status: z.string(), statusDate: z.string(), details: z.string().nullable() })),
  completedAt: z.string().nullable(),
});
export type PatientOrder = Wire<typeof patientOrder>;
