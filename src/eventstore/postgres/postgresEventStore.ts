import type { SqlQueryable } from '../../platform/sql.js';
import { WrongExpectedRevisionError } from '../errors.js';
import {
  assertStreamName,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscriptionFilter,
  streamCategory,
} from '../types.js';
import { upcast, withSchemaVersion } from '../upcasting.js';

type EventRow = {
  global_position: number;
  stream_name: string;
  stream_revision: number;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  transaction_id: string;
};

/** Columns of `events e` as an EventRow. */
export const EVENT_COLUMNS =
  'e.global_position, e.stream_name, e.stream_revision, e.event_id, e.event_type, e.data, e.metadata, e.transaction_id::text';

/** A row as the event it records, read as its type's newest schema version (see upcasting.ts). */
export const toRecordedEvent = (row: EventRow): RecordedEvent =>
  upcast({
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    streamName: row.stream_name,
    streamRevision: row.stream_revision,
    globalPosition: row.global_position,
  });

/** The filter as SQL over the events table aliased `alias`, its value as parameter `$param`. */
export const filterClause = (
  filter: SubscriptionFilter,
  param: number,
  alias = 'e',
): { sql: string; value?: readonly string[] } => {
  switch (filter.kind) {
    case 'all':
      return { sql: 'TRUE' };
    case 'categories':
      return { sql: `${alias}.category = ANY ($${param}::text[])`, value: filter.categories };
    case 'eventTypes':
      return { sql: `${alias}.event_type = ANY ($${param}::text[])`, value: filter.eventTypes };
  }
};

const expectedCode = (expected: ExpectedRevision): number => {
  switch (expected) {
    case 'any':
      return -1;
    case 'no_stream':
      return -2;
    case 'stream_exists':
      return -3;
    default:
      if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`invalid revision ${expected}`);
      return expected;
  }
};

type AppendRow = {
  current_revision: number;
  duplicates: number;
  /** bigint[] arrives as text: the driver's int8 parser is for single values. */
  duplicate_positions: string[] | null;
  positions: string[] | null;
};

/**
 * One statement, one round trip: read the stream's revision and any already-stored ids, check the
 * expectation, insert. Concurrent writers to one stream meet on the unique (stream, revision) index.
 * $2: -1 any, -2 no_stream, -3 stream_exists, n >= 0 exact revision.
 */
const APPEND_SQL = `
WITH current AS (
  SELECT coalesce(max(stream_revision), -1) AS revision FROM events WHERE stream_name = $1
), stored AS (
  -- A join, not = ANY(array): the generic plan of a prepared statement then probes the index per id
  -- instead of building a bitmap.
  SELECT count(*)::int AS n, array_agg(e.global_position ORDER BY ids.ord) AS positions
    FROM unnest($3::uuid[]) WITH ORDINALITY AS ids(id, ord) JOIN events e ON e.event_id = ids.id
), accepted AS (
  SELECT c.revision FROM current c, stored s
   WHERE s.n = 0 AND ($2 = -1 OR ($2 = -2 AND c.revision = -1) OR ($2 = -3 AND c.revision >= 0) OR c.revision = $2)
), inserted AS (
  INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
  SELECT $1, a.revision + t.ord, t.id, t.type, t.data, t.metadata
    FROM accepted a,
         unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS t(id, type, data, metadata, ord)
  RETURNING global_position, stream_revision
)
SELECT c.revision AS current_revision, s.n AS duplicates, s.positions AS duplicate_positions,
       -- Each event's own position, in the batch's order: a sequence need not hand one statement's
       -- rows consecutive numbers while other writers insert.
       (SELECT array_agg(global_position ORDER BY stream_revision) FROM inserted) AS positions
  FROM current c, stored s`;

/** Writers expecting `any` that lose a race for the next revision simply try again, this often. */
const MAX_APPEND_ATTEMPTS = 50;

type Queryable = SqlQueryable;

const currentRevision = async (db: Queryable, streamName: string): Promise<number | null> => {
  const { rows } = await db.query<{ revision: number | null }>(
    'SELECT max(stream_revision) AS revision FROM events WHERE stream_name = $1',
    [streamName],
  );
  return rows[0]?.revision ?? null;
};

export type PostgresEventStoreOptions = {
  /** Called after an append commits, to wake subscribers (see Notifier.announce). */
  afterAppend?: (hint: { categories: readonly string[]; eventTypes: readonly string[] }) => void;
};

export const createPostgresEventStore = (
  db: Queryable,
  options: PostgresEventStoreOptions = {},
): EventStore => ({
  async appendToStream(streamName, events, appendOptions = {}) {
    assertStreamName(streamName);
    if (events.length === 0) throw new RangeError('an append needs at least one event');
    const expected = appendOptions.expectedRevision ?? 'any';
    const params = [
      streamName,
      expectedCode(expected),
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(withSchemaVersion(e).metadata)),
    ];
    for (let attempt = 1; ; attempt++) {
      let row: AppendRow;
      try {
        // Named: each connection parses and plans the statement once, not on every append.
        row = (await db.query<AppendRow>({ name: 'append-to-stream', text: APPEND_SQL, values: params }))
          .rows[0]!;
      } catch (error) {
        const constraint = (error as { code?: string; constraint?: string }).constraint;
        if ((error as { code?: string }).code !== '23505' || attempt >= MAX_APPEND_ATTEMPTS) throw error;
        // Another writer claimed the revision first. For an exact or no-stream expectation that is
        // the conflict; otherwise (or when the same ids raced in) the statement simply runs again.
        if (
          constraint === 'events_stream_revision_unique' &&
          (typeof expected === 'number' || expected === 'no_stream')
        ) {
          throw new WrongExpectedRevisionError(streamName, expected, await currentRevision(db, streamName));
        }
        continue;
      }
      if (row.duplicates === events.length) {
        const stored = (row.duplicate_positions ?? []).map(Number);
        return {
          nextExpectedRevision: row.current_revision,
          lastGlobalPosition: Math.max(0, ...stored),
          globalPositions: stored,
          written: false,
        };
      }
      if (row.duplicates > 0) {
        throw new Error(
          `append to ${streamName} repeats ${row.duplicates} of ${events.length} event ids: a retry must resend the same batch`,
        );
      }
      if (row.positions === null) {
        throw new WrongExpectedRevisionError(
          streamName,
          expected,
          row.current_revision === -1 ? null : row.current_revision,
        );
      }
      options.afterAppend?.({
        categories: [streamCategory(streamName)],
        eventTypes: [...new Set(events.map((e) => e.type))],
      });
      const globalPositions = row.positions.map(Number);
      return {
        nextExpectedRevision: row.current_revision + events.length,
        lastGlobalPosition: Math.max(...globalPositions),
        globalPositions,
        written: true,
      };
    }
  },

  async readStream(streamName, options: ReadStreamOptions = {}) {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_name = $1 AND e.stream_revision ${backwards ? '<=' : '>='} $2
       ORDER BY e.stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamName, from, options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  },

  async readAll(options: ReadAllOptions = {}) {
    const clause = filterClause(options.filter ?? { kind: 'all' }, 3);
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.global_position >= $1 AND ${clause.sql}
        ORDER BY e.global_position LIMIT $2`,
      [options.fromPosition ?? 0, options.maxCount ?? null, ...(clause.value ? [clause.value] : [])],
    );
    return rows.map(toRecordedEvent);
  },

  streamRevision: (streamName) => currentRevision(db, streamName),
});

export type { EventRow, EventToAppend };
