import type pg from 'pg';
import { projectionSubscriptionId } from '../runtime.js';
import { auditProjection } from './auditProjection.js';
import { type AuditRow, auditHash, GENESIS_HASH } from './auditRecord.js';

export type AuditVerification =
  | { ok: true; rows: number; lastHash: string }
  | { ok: false; rows: number; brokenAt: { seq: number; reason: string } };

/**
 * Walks the chain in order, recomputing each hash. Reports the first row that was altered, removed
 * (a gap in seq or a prev_hash that no longer matches) or is missing for an event already projected.
 */
export const verifyAuditTrail = async (pool: pg.Pool, pageSize = 5_000): Promise<AuditVerification> => {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  for (;;) {
    const page = await pool.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [
      expectedSeq,
      pageSize,
    ]);
    for (const row of page.rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, rows, brokenAt: { seq: expectedSeq, reason: `row ${expectedSeq} is missing` } };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          rows,
          brokenAt: { seq: row.seq, reason: 'prev_hash does not match the previous row' },
        };
      }
      const hash = auditHash({
        seq: row.seq,
        eventId: row.event_id,
        globalPosition: row.global_position,
        streamName: row.stream_name,
        eventType: row.event_type,
        actor: row.actor,
        correlationId: row.correlation_id,
        causationId: row.causation_id,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        summary: row.summary,
        prevHash: row.prev_hash,
      });
      if (hash !== row.hash) {
        return { ok: false, rows, brokenAt: { seq: row.seq, reason: 'row content does not match its hash' } };
      }
      prevHash = hash;
      expectedSeq += 1;
      rows += 1;
    }
    if (page.rows.length < pageSize) break;
  }

  // Rows cut from the end leave an intact chain: compare with the events the projection has handled.
  const missing = await pool.query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM events e, subscription_checkpoints c
      WHERE c.subscription_id = $1 AND (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)
        AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.event_id = e.event_id)`,
    [projectionSubscriptionId(auditProjection)],
  );
  const absent = missing.rows[0]!.missing;
  if (absent > 0) {
    return {
      ok: false,
      rows,
      brokenAt: { seq: expectedSeq, reason: `${absent} projected events have no audit row` },
    };
  }
  return { ok: true, rows, lastHash: prevHash };
};
