import { z } from 'zod';
import type { OrderStatus } from '../../domain/prescription/orderEvents.js';
import type { Checkpoint } from '../../eventstore/types.js';

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

export type OrderChanged = {
  type: 'order-changed';
  checkpoint: Checkpoint;
  orderId: string;
  eventType: string;
  /** The order's status once this event applied; null when no event so far set one. */
  status: OrderStatus | null;
  occurredAt: string;
};

/** A consultation moved (any event of its stream): its queues and pages read it again. */
export type ConsultationChanged = {
  type: 'consultation-changed';
  checkpoint: Checkpoint;
  consultationId: string;
  eventType: string;
  occurredAt: string;
};

export type LiveChange = OrderChanged | ConsultationChanged;

export type CaughtUp = { type: 'caught-up'; checkpoint: Checkpoint };

export type ServerMessage = LiveChange | CaughtUp;

/** Close codes: 44xx mirror the HTTP statuses a request would have got. */
export const CLOSE_CODES = {
  invalidMessage: 4400,
  sessionEnded: 4401,
  roleRequired: 4403,
  /** The client reads slower than orders change: reconnect from the last checkpoint. */
  tooSlow: 1013,
  serverError: 1011,
} as const;
