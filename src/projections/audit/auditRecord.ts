import { createHash, createHmac } from 'node:crypto';
import type { RecordedEvent } from '../../eventstore/types.js';
import { asStored } from '../../eventstore/upcasting.js';

/** What one audit row holds: who did what, when, to which stream, in which correlation. No PHI. */
export type AuditRecord = {
  seq: number;
  eventId: string;
  globalPosition: number;
  streamName: string;
  eventType: string;
  actor: string;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  recordedAt: string;
  summary: Record<string, unknown>;
  /** SHA-256 of the event as stored: the row vouches for the event's content, not only its id. */
  eventHash: string;
  prevHash: string;
};

/** An audit_log row as PostgreSQL returns it. */
export type AuditRow = {
  seq: number;
  event_id: string;
  global_position: number;
  stream_name: string;
  event_type: string;
  actor: string;
  correlation_id: string;
  causation_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  summary: Record<string, unknown>;
  event_hash: string;
  key_id: string;
  prev_hash: string;
  hash: string;
};

/**
 * The key the chain is computed under. It never enters the database: an intruder who can rewrite
 * rows there cannot compute a link that verifies. `id` names the key (a digest of it), so a trail
 * says which key to check it with.
 */
export type AuditKey = { id: string; secret: Buffer };

export const MIN_AUDIT_KEY_LENGTH = 32;

export const auditKey = (secret: string): AuditKey => {
  if (secret.length < MIN_AUDIT_KEY_LENGTH)
    throw new Error(`the audit key must be at least ${MIN_AUDIT_KEY_LENGTH} characters`);
  return {
    id: createHash('sha256').update(`audit-key:${secret}`).digest('hex').slice(0, 16),
    secret: Buffer.from(secret, 'utf8'),
  };
};

export const GENESIS_HASH = '0'.repeat(64);

const iso = (value: string | Date) => new Date(value).toISOString();

/** Sorted keys, so the same object always hashes the same after a round trip through jsonb. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** The content of an event as the store holds it; computed the same way when it is audited and verified. */
export const eventContentHash = (read: RecordedEvent): string => {
  const event = asStored(read);
  return createHash('sha256')
    .update(
      canonical([
        event.id,
        event.streamName,
        event.streamRevision,
        event.globalPosition,
        event.type,
        event.data,
        event.metadata,
      ]),
    )
    .digest('hex');
};

/**
 * The row's link: an HMAC under the audit key over every column, the event's content hash and the
 * previous row's link. Altering, inserting or removing a row breaks the chain, and without the key
 * nobody can compute a replacement.
 */
export const auditHash = (record: AuditRecord, key: AuditKey): string =>
  createHmac('sha256', key.secret)
    .update(
      canonical([
        record.seq,
        record.eventId,
        record.globalPosition,
        record.streamName,
        record.eventType,
        record.actor,
        record.correlationId,
        record.causationId,
        iso(record.occurredAt),
        iso(record.recordedAt),
        record.summary,
        record.eventHash,
        record.prevHash,
      ]),
    )
    .digest('hex');

export const recordOfRow = (row: AuditRow): AuditRecord => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  globalPosition: Number(row.global_position),
  streamName: row.stream_name,
  eventType: row.event_type,
  actor: row.actor,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  summary: row.summary,
  eventHash: row.event_hash,
  prevHash: row.prev_hash,
});
