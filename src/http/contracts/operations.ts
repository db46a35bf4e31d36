import { z } from 'zod';
import { instant, type Wire } from './common.js';

/**
 * The operations API (`/api/operations…`, `/api/console/settings`): what needs a person, as ops see
 * it. Every answer is checked against its schema before it is sent; the web console imports the
 * inferred types, so a renamed field breaks its build.
 */

export const consoleSettings = z.object({ timeZone: z.string(), slaHours: z.number() });
export type ConsoleSettings = Wire<typeof consoleSettings>;

const subject = z.object({ kind: z.enum(['order', 'consultation', 'stream']), id: z.string() });
const attentionAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open'), label: z.string(), href: z.string() }),
  z.object({
    kind: z.literal('retry'),
    label: z.string(),
    href: z.string(),
    path: z.string(),
    body: z.record(z.string(), z.string()).nullable(),
  }),
]);

export const attentionItem = z.object({
  key: z.string(),
  kind: z.enum([
    'sla_breach',
    'incident',
    'parked_event',
    'payment_mismatch',
    'drug_review',
    'adjudication_rejected',
  ]),
  subject,
  patientName: z.string().nullable(),
  drug: z.string().nullable(),
  status: z.string().nullable(),
  summary: z.string(),
  since: instant,
  nextAttemptAt: instant.nullable().optional(),
  overSla: z.boolean(),
  action: attentionAction,
});
export type AttentionItem = Wire<typeof attentionItem>;

export const attentionList = z.object({ slaHours: z.number(), items: z.array(attentionItem) });
export type AttentionList = Wire<typeof attentionList>;

/** An event a process manager parked after repeated failures; its error has quoted values taken out. */
export const parkedEvent = z.object({
  subscriptionId: z.string(),
  eventId: z.string(),
  streamName: z.string(),
  eventType: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  status: z.enum(['parked', 'resolved']),
  parkedAt: instant,
  resolvedAt: instant.nullable(),
});
export type ParkedEvent = Wire<typeof parkedEvent>;

export const parkedList = z.object({ items: z.array(parkedEvent) });
export type ParkedList = Wire<typeof parkedList>;

export const parkedRetry = z.object({ outcome: z.enum(['handled', 'vendor_unavailable', 'parked']) });
export type ParkedRetry = Wire<typeof parkedRetry>;

const incidentState = z.enum(['pending_api_unavailable', 'manual_handling']);

/**
 * A vendor call waiting or flagged, one row per call. The page has always been answered with the
 * table's own column names, so the contract keeps them.
 */
export const openIncident = z.object({
  stream_name: z.string(),
  trigger_event_id: z.string(),
  process_manager: z.string(),
  integration: z.string(),
  attempts: z.number().int(),
  last_error: z.string(),
  next_attempt_at: instant.nullable(),
  state: incidentState,
  updated_at: instant,
  /** When the call first failed (null for incidents recorded before this was kept). */
  opened_at: instant.nullable(),
});
export type OpenIncident = Wire<typeof openIncident>;

export const incidentList = z.object({ items: z.array(openIncident) });
export type IncidentList = Wire<typeof incidentList>;

/** A verified payment-provider event no order or consultation could take (answered 2xx, kept for ops). */
export const unmatchedPayment = z.object({
  stripeEventId: z.string(),
  kind: z.string(),
  flow: z.string().nullable(),
  reference: z.string().nullable(),
  paymentIntentId: z.string().nullable(),
  amountMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  reason: z.string(),
  receivedAt: instant,
});
export type UnmatchedPayment = Wire<typeof unmatchedPayment>;

export const unmatchedPaymentList = z.object({ items: z.array(unmatchedPayment) });
export type UnmatchedPaymentList = Wire<typeof unmatchedPaymentList>;
