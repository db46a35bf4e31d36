import {
  EVENT_COLUMNS,
  type EventRow,
  toRecordedEvent,
} from '../../eventstore/postgres/postgresEventStore.js';
import type { SqlPool } from '../../platform/sql.js';
import { projectionSubscriptionId } from '../runtime.js';
import { type Anchor, type AnchorSource, anchorSignatureValid } from './anchors.js';
import { AUDIT_PROJECTION_NAME } from './auditProjection.js';
import {
  type AuditKey,
  type AuditRow,
  auditHash,
  eventContentHash,
  GENESIS_HASH,
  recordOfRow,
} from './auditRecord.js';

export type AuditFinding = { seq: number; reason: string };

export type AuditVerification =
  | { ok: true; rows: number; lastHash: string; anchors: number }
  | { ok: false; rows: number; brokenAt: AuditFinding; findings: AuditFinding[] };

export type VerifyOptions = {
  key: AuditKey;
  /** The auditor's copies of the signed heads; without them a trail cut from its end goes unseen. */
  anchors?: AnchorSource;
  pageSize?: number;
};

/** Enough findings to act on; a wholesale rewrite would otherwise list every row. */
const MAX_FINDINGS = 20;

type JoinedRow = AuditRow & { [K in keyof EventRow as `e_${K & string}`]: EventRow[K] | null };

/** The event store's own columns (`e.stream_name`, `e.transaction_id::text`…) as `e_stream_name`… */
const EVENT_SELECT = EVENT_COLUMNS.split(',')
  .map((column) => column.trim())
  .map((column) => `${column} AS e_${/^e\.(\w+)/.exec(column)![1]}`)
  .join(', ');

const eventOf = (row: JoinedRow): EventRow | null =>
  row.e_event_id === null
    ? null
    : (Object.fromEntries(
        Object.entries(row)
          .filter(([key]) => key.startsWith('e_'))
          .map(([key, value]) => [key.slice(2), value]),
      ) as EventRow);

/**
 * Walks the trail in order and checks, for every row: the sequence has no gap; it links to the row
 * before; its HMAC under the audit key is right (so it was written by the platform, unaltered); its
 * event still exists with exactly the content it had when audited. Then: no event the projection
 * has passed lacks its row, no event has two, and every anchor the auditor holds is validly signed
 * and still matches the row it names (so a rewrite by someone holding the key, or a trail cut from
 * its end together with its events, shows).
 */
export const verifyAuditTrail = async (pool: SqlPool, options: VerifyOptions): Promise<AuditVerification> => {
  const pageSize = options.pageSize ?? 5_000;
  const findings: AuditFinding[] = [];
  const found = (seq: number, reason: string) => {
    if (findings.length < MAX_FINDINGS) findings.push({ seq, reason });
  };
  const hashBySeq = new Map<number, string>();
  const anchors: Anchor[] = options.anchors ? await options.anchors.list() : [];
  const anchoredSeqs = new Set(anchors.map((a) => a.seq));

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  let lastSeq = 0;
  for (;;) {
    const page = await pool.query<JoinedRow>(
      `SELECT a.*, ${EVENT_SELECT} FROM audit_log a LEFT JOIN events e ON e.event_id = a.event_id
        WHERE a.seq >= $1 ORDER BY a.seq LIMIT $2`,
      [expectedSeq, pageSize],
    );
    for (const row of page.rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) found(expectedSeq, `row ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash) found(seq, 'prev_hash does not match the previous row');
      if (row.key_id !== options.key.id) found(seq, `row was signed with another audit key (${row.key_id})`);
      else if (auditHash(recordOfRow(row), options.key) !== row.hash)
        found(seq, 'row content does not match its hash (signature)');
      const event = eventOf(row);
      if (!event) found(seq, `audit row has no event: event ${row.event_id} is missing`);
      else if (eventContentHash(toRecordedEvent(event)) !== row.event_hash)
        found(seq, `event ${row.event_id} changed since it was audited: its content does not match`);
      if (anchoredSeqs.has(seq)) hashBySeq.set(seq, row.hash);
      prevHash = row.hash;
      expectedSeq = seq + 1;
      lastSeq = seq;
      rows += 1;
    }
    if (page.rows.length < pageSize) break;
  }

  // Rows cut from the end leave an intact chain: compare with the events the projection has handled.
  const missing = await pool.query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM events e, subscription_checkpoints c
      WHERE c.subscription_id = $1 AND (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)
        AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.event_id = e.event_id)`,
    [projectionSubscriptionId({ name: AUDIT_PROJECTION_NAME })],
  );
  const absent = missing.rows[0]!.missing;
  if (absent > 0) found(lastSeq + 1, `${absent} projected events have no audit row`);

  const doubled = await pool.query<{ event_id: string; seq: number }>(
    'SELECT event_id, min(seq) AS seq FROM audit_log GROUP BY event_id HAVING count(*) > 1 LIMIT 5',
  );
  for (const row of doubled.rows) found(Number(row.seq), `event ${row.event_id} has more than one audit row`);

  for (const anchor of anchors) {
    if (!anchorSignatureValid(anchor, options.key))
      found(anchor.seq, `anchor at row ${anchor.seq} is not validly signed`);
    else if (anchor.seq > lastSeq)
      found(
        anchor.seq,
        `anchor at row ${anchor.seq} is beyond the trail's end (row ${lastSeq}): rows were removed`,
      );
    else if (hashBySeq.get(anchor.seq) !== anchor.hash)
      found(
        anchor.seq,
        `row ${anchor.seq} no longer matches its anchor from ${anchor.anchoredAt}: the trail was rewritten`,
      );
  }

  if (findings.length > 0) {
    findings.sort((a, b) => a.seq - b.seq);
    return { ok: false, rows, brokenAt: findings[0]!, findings };
  }
  return { ok: true, rows, lastHash: prevHash, anchors: anchors.length };
};
