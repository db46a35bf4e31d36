import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore, EventToAppend } from '../../src/eventstore/types.js';
import { auditExportStream } from '../../src/http/audit/auditExport.js';
import { auditRoutes } from '../../src/http/audit/auditRoutes.js';
import {
  createSession,
  createStaffUser,
  type StaffRole,
  staffAuthPlugin,
} from '../../src/http/auth/index.js';
import { sendError } from '../../src/http/errors.js';
import { registerContracts } from '../../src/http/validation.js';
import { HOUR, systemClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { fileAnchors } from '../../src/projections/audit/anchors.js';
import { createAuditProjection } from '../../src/projections/audit/auditProjection.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';
import { rebuildOnPostgres } from '../support/rebuild.js';

const ORDERS = 35;
const EVENTS_PER_ORDER = 100;
const START = Date.parse('2026-11-01T00:00:00.000Z');
/** Values CSV must quote: commas, quotes, line breaks of both kinds. */
const AWKWARD_ACTOR = 'staff:"Doe, Jane"\nsecond line';
const AWKWARD_REASON = 'patient said "no", then\r\nyes';
const LINE_BREAK_ACTOR = 'night\r\nshift';

const AUDIT_KEY = auditKey('a test audit key, at least thirty-two characters');
let db: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let auditor: string;
let ops: string;
const orderIds: string[] = [];

type AuditRow = {
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

const signedIn = async (roles: StaffRole[]) => {
  const user = await createStaffUser(
    { pool: db.pool, store },
    {
      email: `${newId().toLowerCase()}@pharmacy.example.org`,
      password: 'correct horse battery staple',
      displayName: 'A',
      roles,
    },
  );
  return (await createSession(db.pool, user.id, systemClock)).token;
};

const eventAt = (index: number, type: string, data: unknown, actor = 'process:test'): EventToAppend => {
  const event = anEvent(type, data);
  return {
    ...event,
    metadata: {
      ...event.metadata,
      actor,
      correlationId: `corr-${index % 7},x`,
      causationId: index % 2 ? null : `cause-${index}`,
      occurredAt: new Date(START + index * HOUR).toISOString(),
    },
  };
};

beforeAll(async () => {
  db = await createTestDatabase();
  store = createPostgresEventStore(db.pool);
  let index = 0;
  for (let o = 0; o < ORDERS; o++) {
    const orderId = newId();
    orderIds.push(orderId);
    const events = Array.from({ length: EVENTS_PER_ORDER }, (_, e) => {
      index += 1;
      return e === 0
        ? eventAt(index, 'PrescriptionReceived', { status: 'received' })
        : e % 10 === 0
          ? eventAt(index, 'OrderCancelled', { reason: AWKWARD_REASON }, AWKWARD_ACTOR)
          : eventAt(
              index,
              'IntegrationCallFailed',
              { integration: 'payer', attempt: e },
              e % 10 === 5 ? LINE_BREAK_ACTOR : undefined,
            );
    });
    await store.appendToStream(`order-${orderId}`, events);
    await store.appendToStream(`access-${orderId}`, [
      eventAt(index, 'PatientDataAccessed', { resource: 'order', purpose: 'treatment-operations' }),
    ]);
  }
  await rebuildOnPostgres(db, createAuditProjection(AUDIT_KEY));

  app = Fastify();
  // As buildHttpApp does: each route's zod contract parses its request; refusals are problems.
  registerContracts(app);
  app.setErrorHandler(sendError);
  await app.register(cookie);
  await app.register(staffAuthPlugin, { pool: db.pool, store, clock: systemClock });
  await app.register(auditRoutes, {
    pool: db.pool,
    store,
    clock: systemClock,
    audit: { key: AUDIT_KEY, anchors: fileAnchors('/nonexistent'), anchorNow: async () => null },
    reportTitle: 'Northfield Pharmacy',
  });
  await app.ready();
  auditor = await signedIn(['auditor']);
  ops = await signedIn(['ops']);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const get = (url: string, token = auditor) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

const tableRows = async (where = 'TRUE', params: unknown[] = []) =>
  (
    await db.pool.query<AuditRow & { actor_name: string | null }>(
      `SELECT a.*, s.display_name AS actor_name FROM audit_log a LEFT JOIN staff_users s ON a.actor = 'staff:' || s.id
        WHERE ${where} ORDER BY a.seq`,
      params,
    )
  ).rows;

/** RFC 4180 read strictly: CRLF ends a record, quotes enclose, doubled quotes escape. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(quoted, 'unterminated quoted field').toBe(false);
  expect(field === '' && record.length === 0, 'last record ends with CRLF').toBe(true);
  return records;
};

const asCsvRecord = (row: AuditRow & { actor_name: string | null }) => [
  String(row.seq),
  row.event_id,
  String(row.global_position),
  row.occurred_at.toISOString(),
  row.recorded_at.toISOString(),
  row.actor,
  row.actor_name ?? '',
  row.event_type,
  row.stream_name,
  row.correlation_id,
  row.causation_id ?? '',
  JSON.stringify(row.summary),
  row.event_hash,
  row.key_id,
  row.prev_hash,
  row.hash,
];

const asEntry = (row: AuditRow & { actor_name: string | null }) => ({
  seq: row.seq,
  eventId: row.event_id,
  globalPosition: row.global_position,
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  actor: row.actor,
  actorName: row.actor_name ?? null,
  eventType: row.event_type,
  streamName: row.stream_name,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  summary: row.summary,
  eventHash: row.event_hash,
  keyId: row.key_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

const parseNdjson = (text: string) => {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
};

const lastAccess = async () => {
  const { rows } = await db.pool.query<{
    stream_name: string;
    data: { resource: string };
    metadata: { actor: string };
  }>(
    `SELECT stream_name, data, metadata FROM events WHERE event_type = 'PatientDataAccessed'
      ORDER BY global_position DESC LIMIT 1`,
  );
  return rows[0]!;
};

describe('audit export', () => {
  it('exports the whole trail as CSV that reads back as the table, row for row', async () => {
    const response = await get('/api/audit/export?format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="audit-all.csv"');
    const [header, ...records] = parseCsv(response.body);
    expect(header).toEqual([
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
    ]);
    const table = await tableRows();
    expect(table).toHaveLength(ORDERS * (EVENTS_PER_ORDER + 1));
    expect(records).toEqual(table.map(asCsvRecord));
    expect(records.some((r) => r[5] === AWKWARD_ACTOR && r[11]!.includes('\\r\\n'))).toBe(true);
    expect(records.some((r) => r[5] === LINE_BREAK_ACTOR)).toBe(true);
  });

  it('exports NDJSON, one row a line, every hashed column included', async () => {
    const response = await get('/api/audit/export?format=ndjson');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="audit-all.ndjson"');
    expect(parseNdjson(response.body)).toEqual((await tableRows()).map(asEntry));
  });

  it('filters by a half-open range of occurred_at', async () => {
    const from = '2026-11-10T00:00:00.000Z';
    const to = '2026-11-20';
    const response = await get(`/api/audit/export?format=ndjson&from=${from}&to=${to}`);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="audit-2026-11-10-2026-11-20.ndjson"',
    );
    const expected = await tableRows('occurred_at >= $1 AND occurred_at < $2', [from, to]);
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(ORDERS * EVENTS_PER_ORDER);
    expect(parseNdjson(response.body)).toEqual(expected.map(asEntry));
  });

  it('filters by order: its changes and every read of it', async () => {
    const orderId = orderIds[3]!;
    const response = await get(`/api/audit/export?orderId=${orderId}`);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="audit-order-${orderId}.csv"`);
    const records = parseCsv(response.body).slice(1);
    expect(records).toHaveLength(EVENTS_PER_ORDER + 1);
    expect(new Set(records.map((r) => r[8]))).toEqual(new Set([`order-${orderId}`, `access-${orderId}`]));
    expect(records).toEqual(
      (await tableRows('stream_name = ANY ($1)', [[`order-${orderId}`, `access-${orderId}`]])).map(
        asCsvRecord,
      ),
    );
  });

  it('records each export as an access: who exported what', async () => {
    const orderId = orderIds[0]!;
    await get(`/api/audit/export?format=ndjson&orderId=${orderId}`);
    const access = await lastAccess();
    expect(access.stream_name).toBe(`access-${orderId}`);
    expect(access.data.resource).toBe(`audit-export?format=ndjson&orderId=${orderId}`);
    expect(access.metadata.actor).toMatch(/^staff:/);

    await get('/api/audit/export?from=2026-11-02');
    expect((await lastAccess()).data.resource).toBe(
      'audit-export?format=csv&from=2026-11-02T00%3A00%3A00.000Z',
    );
  });

  it('streams page by page: it reads the next page only once the client has taken the last', async () => {
    let queries = 0;
    const counting = {
      query: ((text: string, values?: unknown[]) => {
        queries += 1;
        return db.pool.query(text, values);
      }) as unknown as SqlPool['query'],
    };
    const stream = auditExportStream(counting, {}, 'csv');
    const chunks = stream[Symbol.asyncIterator]();
    await chunks.next(); // the header
    await chunks.next(); // the first page
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pages = Math.ceil((ORDERS * (EVENTS_PER_ORDER + 1)) / 1_000);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(queries).toBeLessThanOrEqual(3); // the snapshot bound, the page taken, at most one more
    stream.destroy();
  });

  it('refuses other roles, strangers and malformed queries', async () => {
    expect((await get('/api/audit/export', ops)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/audit/export' })).statusCode).toBe(401);
    expect((await get('/api/audit/verify', ops)).statusCode).toBe(403);
    expect((await get('/api/audit/entries', ops)).statusCode).toBe(403);
    expect((await get('/api/audit/export?format=xml')).statusCode).toBe(400);
    expect((await get('/api/audit/export?from=yesterday')).statusCode).toBe(400);
    expect((await get('/api/audit/export?from=2026-11-05&to=2026-11-01')).statusCode).toBe(400);
    expect((await get("/api/audit/export?orderId=x'%20OR%201=1")).statusCode).toBe(400);
  });
});

describe('audit entries', () => {
  it('lists the newest rows of one order and pages back with `before`', async () => {
    const orderId = orderIds[5]!;
    const expected = (await tableRows('stream_name = ANY ($1)', [[`order-${orderId}`, `access-${orderId}`]]))
      .reverse()
      .map(asEntry);
    const first = (await get(`/api/audit/entries?orderId=${orderId}&limit=60`)).json();
    expect(first.items).toEqual(expected.slice(0, 60));
    const second = (
      await get(`/api/audit/entries?orderId=${orderId}&limit=60&before=${first.nextBefore}`)
    ).json();
    expect(second.items).toEqual(expected.slice(60));
    expect(second.nextBefore).toBeNull();
  });

  it('lists the newest rows of the whole trail', async () => {
    const body = (await get('/api/audit/entries?limit=3')).json();
    expect(body.items.map((e: { seq: number }) => e.seq)).toEqual([3535, 3534, 3533]);
  });
});

describe('audit verification', () => {
  it('reports an intact chain, then the first row someone altered', async () => {
    const intact = await get('/api/audit/verify');
    expect(intact.statusCode).toBe(200);
    expect(intact.json()).toMatchObject({ ok: true, rows: ORDERS * (EVENTS_PER_ORDER + 1) });

    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica'); // past the append-only trigger
      await client.query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 42");
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await get('/api/audit/verify')).json()).toMatchObject({
      ok: false,
      brokenAt: { seq: 42, reason: 'row content does not match its hash (signature)' },
    });
  });
});

describe('the staff directory in exports', () => {
  it('names the staff member behind a staff actor, beside the id', async () => {
    const member = await createStaffUser(
      { pool: db.pool, store },
      {
        email: `${newId().toLowerCase()}@pharmacy.example.org`,
        password: 'correct horse battery staple',
        displayName: 'Ruth Okonkwo',
        roles: ['ops'],
      },
    );
    const orderId = orderIds[1]!;
    await store.appendToStream(`order-${orderId}`, [
      eventAt(9_999, 'OrderCancelled', { reason: 'duplicate' }, `staff:${member.id}`),
    ]);
    await rebuildOnPostgres(db, createAuditProjection(AUDIT_KEY));
    const entries = parseNdjson((await get(`/api/audit/export?format=ndjson&orderId=${orderId}`)).body) as {
      actor: string;
      actorName: string | null;
    }[];
    expect(entries.find((e) => e.actor === `staff:${member.id}`)?.actorName).toBe('Ruth Okonkwo');
    expect(entries.filter((e) => !e.actor.startsWith('staff:')).every((e) => e.actorName === null)).toBe(
      true,
    );
    const csv = (await get(`/api/audit/export?format=csv&orderId=${orderId}`)).body;
    expect(csv).toContain(`staff:${member.id},Ruth Okonkwo,OrderCancelled`);
  });
});
