import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/prescription/orderEvents.js';

/**
 * The live-updates protocol, JSON text frames both ways. A client subscribes from the last
 * checkpoint it saw (or `null`: from now); the server replays what it missed, says `caught-up`,
 * then pushes each change as it commits: order changes to the roles that watch orders, consultation
 * changes to the roles that work the UK queues. Checkpoints are opaque to clients: store the last
 * one received and send it back on reconnect to get exactly the events missed.
 */

const checkpointSchema = z
  .object({
    /** An xid8, as a decimal string: it can exceed 2^53. */
    transactionId: z.string().regex(/^\d{1,20}$/),
    globalPosition: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), after: checkpointSchema.nullable() }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const orderChangedSchema = z.object({
  type: z.literal('order-changed'),
  checkpoint: checkpointSchema,
  orderId: z.string(),
  eventType: z.string(),
  /** The order's status once this event applied; null when no event so far set one. */
  status: z.enum(ORDER_STATUSES).nullable(),
  occurredAt: z.string(),
});
export type OrderChanged = z.infer<typeof orderChangedSchema>;

/** A consultation moved (any event of its stream): its queues and pages read it again. */
export const consultationChangedSchema = z.object({
  type: z.literal('consultation-changed'),
  checkpoint: checkpointSchema,
  consultationId: z.string(),
  eventType: z.string(),
  occurredAt: z.string(),
});
export type ConsultationChanged = z.infer<typeof consultationChangedSchema>;

export type LiveChange = OrderChanged | ConsultationChanged;

/** The replay is done: what follows is live. */
export const caughtUpSchema = z.object({ type: z.literal('caught-up'), checkpoint: checkpointSchema });
export type CaughtUp = z.infer<typeof caughtUpSchema>;

/** Every frame the server sends; the web client imports these types (docs/API.md describes them). */
export const serverMessageSchema = z.discriminatedUnion('type', [
  orderChangedSchema,
  consultationChangedSchema,
  caughtUpSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Close codes: 44xx mirror the HTTP statuses a request would have got. */
export const CLOSE_CODES = {
  invalidMessage: 4400,
  sessionEnded: 4401,
  roleRequired: 4403,
  /** The client reads slower than orders change: reconnect from the last checkpoint. */
  tooSlow: 1013,
  serverError: 1011,
} as const;
