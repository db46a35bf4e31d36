/**
 * The live feed's wire protocol and the pure rules the client keeps: which message is new, when to
 * reconnect. No DOM here, so the rules are checked without a browser.
 */

import type { CaughtUp, ConsultationChanged, OrderChanged } from '../../../src/http/live/protocol.js';

export type { ConsultationChanged, OrderChanged };

/** Where the feed stands: the (transaction id, global position) of the last change seen. */
export type Checkpoint = CaughtUp['checkpoint'];

/** A frame as the client keeps it: the server's messages, a caught-up without a usable checkpoint read as null. */
export type LiveMessage =
  | OrderChanged
  | ConsultationChanged
  | { type: 'caught-up'; checkpoint: Checkpoint | null };

export const subscribeMessage = (after: Checkpoint | null) => JSON.stringify({ type: 'subscribe', after });

/** Changes arrive in (transaction id, position) order: compare in that order, ids as integers. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.globalPosition - b.globalPosition;
};

/** A change at or before the last checkpoint was already shown: after a resume it is a duplicate. */
export const isNew = (checkpoint: Checkpoint, last: Checkpoint | null) =>
  last === null || compareCheckpoints(checkpoint, last) > 0;

export const laterOf = (a: Checkpoint | null, b: Checkpoint | null) =>
  a === null ? b : b === null ? a : compareCheckpoints(a, b) >= 0 ? a : b;

/** Reconnect quickly after a blip, then back off to at most 10 s so a down server is not hammered. */
export const reconnectDelayMs = (attempt: number) => Math.min(10_000, 250 * 2 ** attempt);

export const checkpointKey = (checkpoint: Checkpoint) =>
  `${checkpoint.transactionId}:${checkpoint.globalPosition}`;

const isCheckpoint = (value: unknown): value is Checkpoint => {
  const c = value as Checkpoint | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    (typeof c.transactionId === 'string' || typeof c.transactionId === 'number') &&
    /^\d+$/.test(String(c.transactionId)) &&
    Number.isInteger(Number(c.globalPosition))
  );
};

const normalise = (c: Checkpoint): Checkpoint => ({
  transactionId: String(c.transactionId),
  globalPosition: Number(c.globalPosition),
});

/** Parses one frame; anything the client does not understand is ignored, never fatal. */
export const parseLiveMessage = (raw: string): LiveMessage | null => {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (value.type === 'caught-up') {
    return {
      type: 'caught-up',
      checkpoint: isCheckpoint(value.checkpoint) ? normalise(value.checkpoint) : null,
    };
  }
  if (value.type === 'order-changed' && isCheckpoint(value.checkpoint) && typeof value.orderId === 'string') {
    return {
      type: 'order-changed',
      checkpoint: normalise(value.checkpoint),
      orderId: value.orderId,
      eventType: String(value.eventType ?? ''),
      status: typeof value.status === 'string' ? (value.status as OrderChanged['status']) : null,
      occurredAt: String(value.occurredAt ?? ''),
    };
  }
  if (
    value.type === 'consultation-changed' &&
    isCheckpoint(value.checkpoint) &&
    typeof value.consultationId === 'string'
  ) {
    return {
      type: 'consultation-changed',
      checkpoint: normalise(value.checkpoint),
      consultationId: value.consultationId,
      eventType: String(value.eventType ?? ''),
      occurredAt: String(value.occurredAt ?? ''),
    };
  }
  return null;
};

/**
 * The live feed announces an event as it commits; the read model the REST API answers from is
 * updated a moment later by its own subscription. A view whose last applied event is older than
 * the newest change announced for it (or as old, with another status) has not caught up yet.
 */
export const readModelBehind = (
  view: { status: string; updatedAt: string },
  change: Pick<OrderChanged, 'status' | 'occurredAt'> | undefined,
) => {
  if (!change) return false;
  const applied = Date.parse(view.updatedAt);
  const announced = Date.parse(change.occurredAt);
  if (announced > applied) return true;
  return announced === applied && change.status !== null && change.status !== view.status;
};
