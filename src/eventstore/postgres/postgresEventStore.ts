import type pg from 'pg';
import { WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../types.js';

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

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.event_type,
  data: row.data,
  metadata: row.metadata,
  streamName: row.stream_name,
  streamRevision: row.stream_revision,
  globalPosition: row.global_position,
});

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

const STREAM_NAME = /^[a-z][a-zA-Z0-9]*-[A-Za-z0-9_.:-]+$/;

export const assertStreamName = (streamName: string): void => {
  if (!STREAM_NAME.test(streamName)) {
    throw new RangeError(`stream name "${streamName}" is not <category>-<id>`);
  }
};

type Queryable = Pick<pg.Pool, 'query'>;

export const createPostgresEventStore = (db: Queryable): EventStore => ({
  async appendToStream(streamName, events, options = {}) {
    assertStreamName(streamName);
    if (events.length === 0) throw new RangeError('an append needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    const { rows } = await db.query<{ outcome: string; revision: number; last_position: number | null }>(
      'SELECT outcome, revision, last_position FROM append_to_stream($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])',
      [
        streamName,
        expectedCode(expected),
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    );
    const row = rows[0]!;
    if (row.outcome === 'conflict') {
      throw new WrongExpectedRevisionError(streamName, expected, row.revision === -1 ? null : row.revision);
    }
    const result: AppendResult = {
      nextExpectedRevision: row.revision,
      lastGlobalPosition: row.last_position ?? 0,
      written: row.outcome === 'written',
    };
    return result;
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
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.global_position >= $1 ORDER BY e.global_position LIMIT $2`,
      [options.fromPosition ?? 0, options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  },

  async streamRevision(streamName) {
    const { rows } = await db.query<{ revision: number }>('SELECT revision FROM streams WHERE stream_name = $1', [
      streamName,
    ]);
    const revision = rows[0]?.revision;
    return revision === undefined || revision === -1 ? null : revision;
  },

  async readEventById(eventId) {
    const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = $1`, [eventId]);
    return rows[0] ? toRecordedEvent(rows[0]) : null;
  },
});

export type { EventRow, EventToAppend };
