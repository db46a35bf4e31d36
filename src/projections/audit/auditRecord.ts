import { createHash } from 'node:crypto';

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
  prev_hash: string;
  hash: string;
};

export const GENESIS_HASH = '0'.repeat(64);

const iso = (value: string | Date) => new Date(value).toISOString();

/** Sorted keys, so the same summary always hashes the same after a round trip through jsonb. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** The row's hash covers every column and the previous row's hash: altering or removing a row breaks the chain. */
export const auditHash = (record: AuditRecord): string =>
  createHash('sha256')
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
        record.prevHash,
      ]),
    )
    .digest('hex');
