import { Readable } from 'node:stream';
import type { SqlQueryable } from '../../platform/sql.js';
import { type AuditEntry, type AuditFilter, auditPages } from '../../projections/audit/auditQueries.js';

// The audit routes still take the filter and the screen's page from here.

export type AuditExportFormat = 'csv' | 'ndjson';

export const CSV_HEADER = [
  'seq',
  'event_id',
  'global_position',
  'occurred_at',
  'recorded_at',
  'actor',
  'actor_name',
  'event_type',
  'stream_name',
  'correlation_id',
  'causation_id',
  'summary',
  'event_hash',
  'key_id',
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
    entry.actorName,
    entry.eventType,
    entry.streamName,
    entry.correlationId,
    entry.causationId,
    JSON.stringify(entry.summary),
    entry.eventHash,
    entry.keyId,
    entry.prevHash,
    entry.hash,
  ]);

async function* exportChunks(
  pool: SqlQueryable,
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
  pool: SqlQueryable,
  filter: AuditFilter,
  format: AuditExportFormat,
): Readable => Readable.from(exportChunks(pool, filter, format), { objectMode: false });
