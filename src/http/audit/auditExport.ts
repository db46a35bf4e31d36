import { Readable } from 'node:stream';
import type pg from 'pg';
import type { AuditRow } from '../../projections/audit/auditRecord.js';

/** Which rows: occurred in [from, to), and/or belonging to one order (its changes and its reads). */
export type AuditFilter = { from?: Date; to?: Date; orderId?: string };

export type AuditExportFormat = 'csv' | 'ndjson';

/** One exported row. Every hashed column is included, so an auditor can re-verify the chain offline. */
export type AuditEntry = {
  seq: number;
  eventId: string;
  globalPosition: number;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  eventType: string;
  streamName: string;
  correlationId: string;
  causationId: string | null;
  summary: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  globalPosition: Number(row.global_position),
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  actor: row.actor,
  eventType: row.event_type,
  streamName: row.stream_name,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  summary: row.summary,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export const orderStreams = (orderId: string) => [`order-${orderId}`, `access-${orderId}`];

const AUDIT_COLUMNS = `seq, event_id, global_position, stream_name, event_type, actor, correlation_id, causation_id,
  occurred_at, recorded_at, summary, prev_hash, hash`;

/** $1..$3 filter by occurred_at range and streams; unset filters are NULL and match everything. */
const FILTER_SQL = `($1::timestamptz IS NULL OR occurred_at >= $1)
  AND ($2::timestamptz IS NULL OR occurred_at < $2)
  AND ($3::text[] IS NULL OR stream_name = ANY ($3))`;

const filterParams = (filter: AuditFilter) => [
  filter.from ?? null,
  filter.to ?? null,
  filter.orderId ? orderStreams(filter.orderId) : null,
];

/**
 * Pages through the matching rows in seq order by keyset (`seq > last`), so each page is an index
 * range however deep the export goes. The export is a snapshot: rows appended after it started
 * (its own access record among them) are left for the next one.
 */
export async function* auditPages(
  pool: Pick<pg.Pool, 'query'>,
  filter: AuditFilter,
  pageSize = 1_000,
): AsyncGenerator<AuditEntry[]> {
  const { rows } = await pool.query<{ last: number }>(
    'SELECT coalesce(max(seq), 0)::bigint AS last FROM audit_log',
  );
  const upTo = Number(rows[0]!.last);
  let after = 0;
  for (;;) {
    const page = await pool.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log
        WHERE seq > $4 AND seq <= $5 AND ${FILTER_SQL}
        ORDER BY seq LIMIT $6`,
      [...filterParams(filter), after, upTo, pageSize],
    );
    if (page.rows.length === 0) return;
    const entries = page.rows.map(toAuditEntry);
    yield entries;
    if (entries.length < pageSize) return;
    after = entries.at(-1)!.seq;
  }
}

/** The newest rows first, for the auditor's screen; `before` pages further back. */
export const recentEntries = async (
  pool: Pick<pg.Pool, 'query'>,
  filter: AuditFilter & { before?: number; limit: number },
): Promise<AuditEntry[]> => {
  const { rows } = await pool.query<AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log
      WHERE ($4::bigint IS NULL OR seq < $4) AND ${FILTER_SQL}
      ORDER BY seq DESC LIMIT $5`,
    [...filterParams(filter), filter.before ?? null, filter.limit],
  );
  return rows.map(toAuditEntry);
};

export const CSV_HEADER = [
  'seq',
  'event_id',
  'global_position',
  'occurred_at',
  'recorded_at',
  'actor',
  'event_type',
  'stream_name',
  'correlation_id',
  'causation_id',
  'summary',
  'prev_hash',
  'hash',
] as const;

/** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. */
export const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const csvLine = (fields: readonly (string | number | null)[]) => `${fields.map(csvField).join(',')}\r\n`;

export const toCsvLine = (entry: AuditEntry): string =>
  csvLine([
    entry.seq,
    entry.eventId,
    entry.globalPosition,
    entry.occurredAt,
    entry.recordedAt,
    entry.actor,
    entry.eventType,
    entry.streamName,
    entry.correlationId,
    entry.causationId,
    JSON.stringify(entry.summary),
    entry.prevHash,
    entry.hash,
  ]);

async function* exportChunks(
  pool: Pick<pg.Pool, 'query'>,
  filter: AuditFilter,
  format: AuditExportFormat,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(CSV_HEADER);
  for await (const page of auditPages(pool, filter)) {
    yield page.map((entry) => (format === 'csv' ? toCsvLine(entry) : `${JSON.stringify(entry)}\n`)).join('');
  }
}

/**
 * The export as a byte stream. The next page is read only when the client has taken the previous
 * one (Readable.from pulls on demand), so memory holds a page, not the trail; a client that goes
 * away destroys the stream and stops the reading.
 */
export const auditExportStream = (
  pool: Pick<pg.Pool, 'query'>,
  filter: AuditFilter,
  format: AuditExportFormat,
): Readable => Readable.from(exportChunks(pool, filter, format), { objectMode: false });
