import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import type { Checkpoint } from '../../src/eventstore/postgres/position.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { compareCheckpoints, readBatch } from '../../src/eventstore/postgres/readBatch.js';
import type { EventStore } from '../../src/eventstore/types.js';
import {
  createSession,
  createStaffUser,
  revokeSession,
  type StaffRole,
  staffAuthPlugin,
} from '../../src/http/auth/index.js';
import type { FeedBatch, LiveFeed } from '../../src/http/live/liveFeed.js';
import { readHead } from '../../src/http/live/liveFeed.js';
import { liveRoutes } from '../../src/http/live/liveRoutes.js';
import { createLiveSubscriber } from '../../src/http/live/liveSubscriber.js';
import { ORDER_EVENTS, toOrderChanges } from '../../src/http/live/orderChanges.js';
import { type OrderChanged, type ServerMessage, serverMessageSchema } from '../../src/http/live/protocol.js';
import { systemClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent, waitFor } from '../support/events.js';

/** The `ws` client (a dependency of @fastify/websocket, without type declarations): what we use of it. */
type WsClient = {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(
    event: 'unexpected-response',
    listener: (request: { destroy(): void }, response: IncomingMessage) => void,
  ): void;
  on(event: 'error', listener: (error: Error) => void): void;
  send(data: string): void;
  close(): void;
};
const WebSocket = createRequire(import.meta.url)('ws') as new (
  url: string,
  options?: { headers?: Record<string, string> },
) => WsClient;

const HEARTBEAT_MS = 500;
const REPLAY_BATCH = 7;

let db: TestDatabase;
let notifier: Notifier;
let store: EventStore;
let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  notifier = createNotifier(db.connectionString);
  store = createPostgresEventStore(db.pool, { afterAppend: notifier.announce });
  app = Fastify();
  await app.register(cookie);
  await app.register(staffAuthPlugin, { pool: db.pool, store, clock: systemClock });
  await app.register(liveRoutes, {
    pool: db.pool,
    store,
    clock: systemClock,
    notifier,
    heartbeatMs: HEARTBEAT_MS,
    replayBatchSize: REPLAY_BATCH,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  baseUrl = `127.0.0.1:${port}`;
});
afterAll(async () => {
  await app.close();
  await notifier.close();
  await db.drop();
});

let seq = 0;
const signedIn = async (roles: StaffRole[]) => {
  seq += 1;
  const user = await createStaffUser(
    { pool: db.pool, store },
    {
      email: `live${seq}@pharmacy.example.org`,
      password: 'correct horse battery staple',
      displayName: `Live ${seq}`,
      roles,
    },
  );
  const { token } = await createSession(db.pool, user.id, systemClock);
  return { user, token };
};

type Live = {
  messages: ServerMessage[];
  changes(): OrderChanged[];
  send(message: unknown): void;
  /** Resolves with the first message matching, waiting for it if need be. */
  next(predicate: (message: ServerMessage) => boolean, what?: string): Promise<ServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

class Refused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}

const connect = (options: { token?: string; headers?: Record<string, string> } = {}) =>
  new Promise<Live>((resolve, reject) => {
    const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
    const socket = new WebSocket(`ws://${baseUrl}/api/live${query}`, { headers: options.headers });
    const messages: ServerMessage[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.on('close', (code, reason) => done({ code, reason: String(reason) })),
    );
    // Every frame the tests see must fit the protocol's contract, the one the web client is typed from.
    socket.on('message', (data) => messages.push(serverMessageSchema.parse(JSON.parse(String(data)))));
    socket.on('unexpected-response', (request, response) => {
      reject(new Refused(response.statusCode ?? 0));
      request.destroy();
    });
    socket.on('error', reject);
    socket.on('open', () =>
      resolve({
        messages,
        changes: () => messages.filter((m): m is OrderChanged => m.type === 'order-changed'),
        send: (message) => socket.send(JSON.stringify(message)),
        async next(predicate, what = 'a message') {
          await waitFor(() => messages.some(predicate), 20_000, what);
          return messages.find(predicate)!;
        },
        closed,
        close: () => socket.close(),
      }),
    );
  });

const refusal = (attempt: Promise<Live>) =>
  attempt.then(
    () => 0,
    (error: unknown) => (error instanceof Refused ? error.status : -1),
  );

const caughtUp = (live: Live) =>
  live.next((m) => m.type === 'caught-up', 'caught-up') as Promise<
    Extract<ServerMessage, { type: 'caught-up' }>
  >;

const subscribed = async (token: string, after: Checkpoint | null = null) => {
  const live = await connect({ token });
  live.send({ type: 'subscribe', after });
  return { live, head: (await caughtUp(live)).checkpoint };
};

const appendToOrder = (orderId: string, type: string, data: unknown = {}) =>
  store.appendToStream(`order-${orderId}`, [anEvent(type, data)]);

const received = (orderId: string) =>
  appendToOrder(orderId, 'PrescriptionReceived', { orderId, receivedAt: '2026-11-21T10:00:00.000Z' });

/**
 * Waits until a reader starting now stands past the stream's last event. Commit-safe reading (the
 * console's head, replays, the shared feed) holds an event back while any older transaction of the
 * server is open, in any database: a test file running beside this one may hold one.
 */
const belowHorizon = async (streamName: string) => {
  const { rows } = await db.pool.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text, global_position FROM events
      WHERE stream_name = $1 ORDER BY global_position DESC LIMIT 1`,
    [streamName],
  );
  const last = { transactionId: rows[0]!.transaction_id, globalPosition: Number(rows[0]!.global_position) };
  await waitFor(
    async () => compareCheckpoints(await readHead(db.pool), last) >= 0,
    20_000,
    `${streamName} below the horizon`,
  );
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Order events after `after`, as the store's commit-safe order has them. */
const orderPositionsAfter = async (after: Checkpoint) => {
  const { rows } = await db.pool.query<{ global_position: number }>(
    `SELECT global_position FROM events
      WHERE category = 'order' AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
      ORDER BY transaction_id, global_position`,
    [after.transactionId, after.globalPosition],
  );
  return rows.map((r) => r.global_position);
};

describe('live updates: who may connect', () => {
  it('refuses a socket without a session, or with a token that is no session', async () => {
    expect(await refusal(connect())).toBe(401);
    expect(await refusal(connect({ token: 'x'.repeat(43) }))).toBe(401);
  });

  it('refuses staff without one of the live roles', async () => {
    const { user, token } = await signedIn(['ops']);
    await db.pool.query(`UPDATE staff_users SET roles = '{}' WHERE id = $1`, [user.id]);
    expect(await refusal(connect({ token }))).toBe(403);
  });

  it('accepts the session cookie from our own pages only', async () => {
    const { token } = await signedIn(['pharmacist']);
    const cookieHeader = { cookie: `session=${token}` };
    expect(await refusal(connect({ headers: { ...cookieHeader, origin: 'https://evil.example' } }))).toBe(
      403,
    );
    expect(await refusal(connect({ headers: cookieHeader }))).toBe(403);
    const live = await connect({ headers: { ...cookieHeader, origin: `http://${baseUrl}` } });
    live.send({ type: 'subscribe', after: null });
    await caughtUp(live);
    live.close();
  });
});

describe('live updates: what a console receives', () => {
  it('from now: says caught-up at the head, then pushes each order change as it commits', async () => {
    const { token } = await signedIn(['ops']);
    const earlier = newId();
    await received(earlier); // history: not sent to a console subscribing from now
    await belowHorizon(`order-${earlier}`);
    const { live, head } = await subscribed(token);
    expect(BigInt(head.transactionId)).toBeGreaterThan(0n);

    const orderId = newId();
    await received(orderId);
    const first = (await live.next((m) => m.type === 'order-changed', 'the change')) as OrderChanged;
    expect(first).toEqual({
      type: 'order-changed',
      checkpoint: { transactionId: expect.stringMatching(/^\d+$/), globalPosition: expect.any(Number) },
      orderId,
      eventType: 'PrescriptionReceived',
      status: 'received',
      occurredAt: '2026-11-21T10:00:00.000Z',
    });

    // Other categories are not order changes; an event that sets no status keeps the last one.
    await store.appendToStream(`pharmacy-${newId()}`, [anEvent('PharmacyRegistered')]);
    await appendToOrder(orderId, 'PrescriptionValidated', { normalisedNdc: '00000000000' });
    await appendToOrder(orderId, 'IntegrationCallFailed', { integration: 'payer' });
    await waitFor(() => live.changes().length === 3, 20_000, 'three changes');
    expect(live.changes().map((c) => [c.orderId, c.eventType, c.status])).toEqual([
      [orderId, 'PrescriptionReceived', 'received'],
      [orderId, 'PrescriptionValidated', 'validated'],
      [orderId, 'IntegrationCallFailed', 'validated'],
    ]);
    live.close();
  });

  it('each role receives only the changes its pages show: orders to the console, consultations to the UK queues', async () => {
    const liveAs = async (role: StaffRole) => (await subscribed((await signedIn([role])).token)).live;
    const ops = await liveAs('ops');
    const auditor = await liveAs('auditor');
    const prescriber = await liveAs('prescriber');
    const orderId = newId();
    const consultationId = newId();
    const consultationEvent = (type: string) =>
      store.appendToStream(`consultation-${consultationId}`, [anEvent(type)]);
    await received(orderId);
    await consultationEvent('QuestionnaireSubmitted');
    // Each socket's last expected change comes after every change it must not get: sent in order,
    // a change it was wrongly sent would have arrived before its last one.
    await appendToOrder(orderId, 'PrescriptionValidated', { normalisedNdc: '00000000000' });
    await consultationEvent('IdentityVerified');

    const consultationChange = (m: ServerMessage) => m.type === 'consultation-changed';
    await prescriber.next((m) => consultationChange(m) && m.eventType === 'IdentityVerified');
    expect(prescriber.messages.filter((m) => m.type === 'order-changed')).toEqual([]);
    expect(prescriber.messages.find(consultationChange)).toEqual({
      type: 'consultation-changed',
      checkpoint: { transactionId: expect.stringMatching(/^\d+$/), globalPosition: expect.any(Number) },
      consultationId,
      eventType: 'QuestionnaireSubmitted',
      occurredAt: '2026-11-21T10:00:00.000Z',
    });
    await auditor.next((m) => m.type === 'order-changed' && m.eventType === 'PrescriptionValidated');
    await ops.next((m) => consultationChange(m) && m.eventType === 'IdentityVerified');
    await consultationEvent('ReviewQueued');
    await appendToOrder(orderId, 'OrderCancelled', { reason: 'duplicate order' });
    await auditor.next((m) => m.type === 'order-changed' && m.eventType === 'OrderCancelled');
    expect(auditor.messages.filter(consultationChange)).toEqual([]);
    expect(
      ops.messages.filter((m) => m.type !== 'caught-up').map((m) => (m as { eventType: string }).eventType),
    ).toEqual(
      expect.arrayContaining([
        'PrescriptionReceived',
        'QuestionnaireSubmitted',
        'PrescriptionValidated',
        'IdentityVerified',
      ]),
    );
    for (const live of [ops, auditor, prescriber]) live.close();
  });

  it('a console that reconnects with its last checkpoint gets exactly the events it missed', async () => {
    const { token } = await signedIn(['auditor']);
    const orderId = newId();
    const { live: before } = await subscribed(token);
    await received(orderId);
    const last = (await before.next((m) => m.type === 'order-changed')) as OrderChanged;
    before.close();
    await before.closed;

    await appendToOrder(orderId, 'PrescriptionValidated', { normalisedNdc: '00000000000' });
    await store.appendToStream(`pharmacy-${newId()}`, [anEvent('PharmacyRegistered')]);
    await appendToOrder(orderId, 'EnrollmentLinkIssued', { email: null, expiresAt: '2026-11-28T10:00:00Z' });
    await appendToOrder(orderId, 'OrderCancelled', { reason: 'patient asked' });
    await belowHorizon(`order-${orderId}`); // otherwise they come live, after caught-up

    const { live: after } = await subscribed(token, last.checkpoint);
    expect(after.messages.map((m) => (m.type === 'order-changed' ? m.eventType : m.type))).toEqual([
      'PrescriptionValidated',
      'EnrollmentLinkIssued',
      'OrderCancelled',
      'caught-up',
    ]);
    expect(after.changes().map((c) => c.status)).toEqual(['validated', 'awaiting_enrollment', 'cancelled']);

    // Live from there on, and nothing a second time.
    await appendToOrder(orderId, 'IntegrationCallFailed', {});
    await waitFor(() => after.changes().length === 4, 20_000, 'the live change');
    await sleep(300);
    const positions = after.changes().map((c) => c.checkpoint.globalPosition);
    expect(positions).toEqual(await orderPositionsAfter(last.checkpoint));
    after.close();
  });

  it('replays across many batches while orders keep changing: every event once, in commit order', async () => {
    const { token } = await signedIn(['ops']);
    const { live: first, head } = await subscribed(token);
    first.close();
    const orders = Array.from({ length: 5 }, () => newId());
    for (let i = 0; i < 8; i++)
      for (const id of orders) await appendToOrder(id, 'IntegrationCallFailed', { i });

    const live = await connect({ token });
    live.send({ type: 'subscribe', after: head });
    // Concurrent writers commit out of position order while the replay and the feed hand over.
    await Promise.all(orders.map(async (id) => appendToOrder(id, 'IntegrationCallFailed', { late: true })));
    await caughtUp(live);
    await Promise.all(orders.map(async (id) => appendToOrder(id, 'IntegrationCallFailed', { later: true })));

    const expected = async () => orderPositionsAfter(head);
    await waitFor(async () => live.changes().length >= (await expected()).length, 20_000, 'every change');
    await sleep(300);
    expect(live.changes().map((c) => c.checkpoint.globalPosition)).toEqual(await expected());
    // A head read below an open transaction elsewhere may stand before the last test's events too.
    expect(live.changes().filter((c) => orders.includes(c.orderId))).toHaveLength(50);
    live.close();
  });
});

describe('live updates: every message is authorised', () => {
  it('closes a revoked session on its next message with 4401', async () => {
    const { token } = await signedIn(['ops']);
    const { live } = await subscribed(token);
    await revokeSession(db.pool, token, systemClock);
    live.send({ type: 'subscribe', after: null });
    expect((await live.closed).code).toBe(4401);
  });

  it('closes with 4403 once the staff member no longer holds a live role', async () => {
    const { user, token } = await signedIn(['pharmacist']);
    const { live } = await subscribed(token);
    await db.pool.query(`UPDATE staff_users SET roles = '{}' WHERE id = $1`, [user.id]);
    live.send({ type: 'subscribe', after: null });
    expect((await live.closed).code).toBe(4403);
  });

  it('closes a silent socket whose session was revoked at the next heartbeat', async () => {
    const { token } = await signedIn(['ops']);
    const { live } = await subscribed(token);
    await revokeSession(db.pool, token, systemClock);
    // The client sends nothing: only the heartbeat's check can close it.
    expect((await live.closed).code).toBe(4401);
  });

  it('closes with 4400 on a message that is not the protocol', async () => {
    const { token } = await signedIn(['ops']);
    const live = await connect({ token });
    live.send({ type: 'subscribe', after: { transactionId: 'one', globalPosition: 1 } });
    expect((await live.closed).code).toBe(4400);
  });
});

describe('live subscriber: the seam between replay and the shared feed', () => {
  /** A feed that stood at `position` when joined and sends `batches` while the replay is under way. */
  const scriptedFeed = (position: Checkpoint, batches: FeedBatch[]) => {
    let listener: ((batch: FeedBatch) => void) | undefined;
    const feed: LiveFeed = {
      async join(received) {
        listener = received;
        setImmediate(() => {
          for (const batch of batches) listener?.(batch);
        });
        return { position, leave: () => (listener = undefined) };
      },
      close: async () => {},
    };
    return { feed, broadcast: (batch: FeedBatch) => listener?.(batch) };
  };

  const feedBatchAfter = async (after: Checkpoint): Promise<FeedBatch> => {
    const batch = await readBatch(db.pool, { filter: ORDER_EVENTS, after, limit: 1_000 });
    return { changes: await toOrderChanges(store, batch), checkpoint: batch.checkpoint };
  };

  it('sends what the replay read and what the feed sent meanwhile, each once, then caught-up', async () => {
    const start = await readHead(db.pool);
    const orderId = newId();
    await received(orderId);
    for (let i = 1; i < 10; i++) await appendToOrder(orderId, 'IntegrationCallFailed', { i });
    // Commit-safe reading holds events back while any older transaction in the cluster is open
    // (another test file's, when files run side by side): wait until all ten are readable.
    let all: Awaited<ReturnType<typeof feedBatchAfter>>['changes'] = [];
    await waitFor(
      async () => {
        all = (await feedBatchAfter(start)).changes;
        return all.length === 10;
      },
      20_000,
      'the ten appended events',
    );
    expect(all).toHaveLength(10);

    // The feed stood at the 3rd event; it then sends the 4th to the 10th while the replay (7 a
    // batch) reads the 1st to the 7th: 4-7 arrive twice, 8-10 only from the feed.
    const { feed, broadcast } = scriptedFeed(all[2]!.checkpoint, [await feedBatchAfter(all[2]!.checkpoint)]);
    const sent: ServerMessage[] = [];
    const subscriber = createLiveSubscriber({
      pool: db.pool,
      store,
      feed,
      outbox: { send: (message) => sent.push(message), drained: async () => {} },
      replayBatchSize: REPLAY_BATCH,
      mayReceive: () => true,
    });
    await subscriber.subscribe(start);
    expect(sent.map((m) => m.checkpoint)).toEqual([...all.map((c) => c.checkpoint), all[9]!.checkpoint]);
    expect(sent.at(-1)?.type).toBe('caught-up');
    expect(sent.slice(0, 10)).toEqual(all);

    // Live: a feed batch overlapping what was sent adds only the new event.
    await appendToOrder(orderId, 'OrderCancelled', { reason: 'duplicate order' });
    await belowHorizon(`order-${orderId}`);
    broadcast(await feedBatchAfter(all[6]!.checkpoint));
    expect(sent.slice(11).map((m) => (m.type === 'order-changed' ? m.status : m.type))).toEqual([
      'cancelled',
    ]);
    subscriber.close();
  });
});
