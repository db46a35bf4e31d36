import type { Projection } from '../runtime.js';
import { type AuditKey, type AuditRecord, auditHash, eventContentHash, GENESIS_HASH } from './auditRecord.js';

export const AUDIT_PROJECTION_NAME = 'audit';

/** Short, PHI-free facts about an event worth reading in the trail (e.g. the status it moved to). */
const summarise = (data: unknown): Record<string, unknown> => {
  if (!data || typeof data !== 'object') return {};
  const summary: Record<string, unknown> = {};
  for (const key of ['status', 'reason', 'integration', 'attempt', 'resource', 'purpose'] as const) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') summary[key] = value;
  }
  return summary;
};

/** The audit trail: one row per event, each chained to the one before under the audit key. */
export const createAuditProjection = (key: AuditKey): Projection => ({
  name: AUDIT_PROJECTION_NAME,
  filter: { kind: 'all' },
  tables: ['audit_log'],
  beforeTruncate: async (client) => {
    await client.query("SET LOCAL audit.allow_truncate = 'on'");
  },
  async applyBatch(client, events) {
    const { rows } = await client.query<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    let seq = rows[0]?.seq ?? 0;
    let prevHash = rows[0]?.hash ?? GENESIS_HASH;
    const recordedAt = new Date().toISOString();
    const records: (AuditRecord & { hash: string })[] = [];
    for (const event of events) {
      seq += 1;
      const record: AuditRecord = {
        seq,
        eventId: event.id,
        globalPosition: event.globalPosition,
        streamName: event.streamName,
        eventType: event.type,
        actor: event.metadata.actor,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        occurredAt: event.metadata.occurredAt,
        recordedAt,
        summary: summarise(event.data),
        eventHash: eventContentHash(event),
        prevHash,
      };
      prevHash = auditHash(record, key);
      records.push({ ...record, hash: prevHash });
    }
    await client.query(
      `INSERT INTO audit_log (seq, event_id, global_position, stream_name, event_type, actor, correlation_id,
                              causation_id, occurred_at, recorded_at, summary, prev_hash, hash, event_hash, key_id)
       SELECT *, $15::text FROM unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::jsonb[], $12::text[],
                            $13::text[], $14::text[])`,
      [
        records.map((r) => r.seq),
        records.map((r) => r.eventId),
        records.map((r) => r.globalPosition),
        records.map((r) => r.streamName),
        records.map((r) => r.eventType),
        records.map((r) => r.actor),
        records.map((r) => r.correlationId),
        records.map((r) => r.causationId),
        records.map((r) => r.occurredAt),
        records.map((r) => r.recordedAt),
        records.map((r) => JSON.stringify(r.summary)),
        records.map((r) => r.prevHash),
        records.map((r) => r.hash),
        records.map((r) => r.eventHash),
        key.id,
      ],
    );
  },
});
