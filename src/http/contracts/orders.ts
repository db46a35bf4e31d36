import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/prescription/orderEvents.js';
import { prescriptionCorrectionsSchema } from '../../domain/prescription/validation.js';
import type { OrderView } from '../../projections/orders/orderView.js';
import { instant, type Wire } from './common.js';

/**
 * The orders API (`/api/orders…`): what ops, pharmacists and auditors send and get back. The routes
 * parse requests with these schemas and every answer is checked against its response schema before it
 * is sent; the web console imports the inferred types, so a changed field breaks its build.
 */

// Requests

export const orderListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['received', 'waiting']).default('received'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const reasonBody = z.object({ reason: z.string().trim().min(3).max(500) });
export const enrollmentBody = z.object({ email: z.email().max(254).optional() }).strict();
export const correctionBody = z.object({
  corrections: prescriptionCorrectionsSchema,
  reason: z.string().trim().min(3).max(500),
});
export const pharmacyBody = z.object({ pharmacyId: z.string().min(1).max(64) });
const line = (max: number) => z.string().trim().min(1).max(max);
export const addressBody = z.strictObject({
  line1: line(100),
  line2: line(100).optional(),
  city: line(60),
  state: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'a two-letter state code'),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'a ZIP or ZIP+4 code'),
  country: z.literal('US').default('US'),
});
export const reshipBody = reasonBody.extend({ address: addressBody.optional() });
export const contactBody = z
  .strictObject({
    address: addressBody.optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{7,20}$/, 'a phone number')
      .optional(),
    email: z.email().max(254).optional(),
    reason: z.string().trim().min(3).max(500),
  })
  .refine((b) => b.address || b.phone || b.email, {
    message: 'give the address, phone or e-mail to correct',
  });
export const refundBody = reasonBody.extend({
  amountMinor: z.number().int().positive().max(10_000_000),
});
export const priorAuthorizationBody = z.strictObject({
  number: z.string().trim().min(1).max(40),
  receivedVia: z.enum(['fax', 'phone', 'portal', 'payer']),
  note: z.string().trim().max(500).nullable().default(null),
});
export const deliveryStatusBody = z.strictObject({
  status: z.enum(['in_transit', 'out_for_delivery', 'delivered', 'failure', 'returned']),
  details: z.string().trim().min(3).max(500),
});
export const resubmitBody = reasonBody.extend({
  priorAuthorizationNumber: z.string().trim().max(40).nullable().default(null),
});
export const retryBody = z.object({ processManager: z.string().min(1), triggerEventId: z.uuid() });

export const recentChangesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// Responses

const orderStatus = z.enum(ORDER_STATUSES);
/** The worst open vendor call of an order, as the console's status marker (null: none open). */
const pendingMarker = z.string().nullable();

export const orderListItem = z.object({
  orderId: z.string(),
  status: orderStatus,
  statusSince: instant,
  receivedAt: instant,
  updatedAt: instant,
  patientName: z.string().nullable(),
  patientState: z.string().nullable(),
  drug: z.string().nullable(),
  pharmacyName: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  patientPaysMinor: z.number().int().nullable(),
  pending: pendingMarker,
});
export type OrderListItem = Wire<typeof orderListItem>;

export const orderPage = z.object({
  items: z.array(orderListItem),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type OrderPage = Wire<typeof orderPage>;

export const statusCounts = z.record(orderStatus, z.number().int());
export type StatusCounts = Wire<typeof statusCounts>;

export const eventMetadata = z.looseObject({
  actor: z.string(),
  occurredAt: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
});

export const orderEventRecord = z.object({
  id: z.string(),
  type: z.string(),
  revision: z.number().int(),
  position: z.number().int(),
  data: z.unknown(),
  metadata: eventMetadata,
});
export type OrderEventRecord = Wire<typeof orderEventRecord>;

export const orderHistory = z.object({ orderId: z.string(), events: z.array(orderEventRecord) });
export type OrderHistory = Wire<typeof orderHistory>;

/**
 * One order as the console shows it: the order view (a fold over the events, typed where it is
 * defined) with the read model's version and the open-incident marker. The contract checks the
 * envelope and keeps every member of the view.
 */
export const orderDetail = z.looseObject({
  orderId: z.string(),
  status: orderStatus,
  version: z.number().int(),
  pending: pendingMarker,
});
export type OrderDetail = OrderView & Wire<typeof orderDetail>;

/** What an ops action answers: the order's status after the command. */
export const orderActionResult = z.object({ orderId: z.string(), status: z.string() });
export type OrderActionResult = Wire<typeof orderActionResult>;

export const retryAccepted = z.object({ orderId: z.string(), retrying: z.literal(true) });
