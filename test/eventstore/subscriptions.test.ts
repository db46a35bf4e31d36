import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCheckpoint } from '../../src/eventstore/postgres/checkpoints.js';
import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { START_CHECKPOINT } from '../../src/eventstore/postgres/position.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { readBatch } from '../../src/eventstore/postgres/readBatch.js';
import { startSubscription } from '../../src/eventstore/postgres/subscriptionRunner.js';
import type { EventStore, RecordedEvent, SubscriptionFilter } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { startProjection } from '../../src/projections/runtime.js';
import { startChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent, events, waitFor } from '../support/events.js';
import { SEEN_TABLE, seenProjection } from '../support/seenProjection.js';

let db: TestDatabase;
let store: EventStore;
let notifier: Notifier;
const log = silentLogger;

beforeAll(async () => {
  db = await createTestDatabase();
  notifier = createNotifier(db.connectionString, silentLogger, db.pool);
  // Wired as the platform wires it: committed appends are announced to listening subscribers.
  store = createPostgresEventStore(db.pool, { afterAppend: notifier.announce });
  await db.pool.query(SEEN_TABLE);
});
afterAll(async () => {
  await notifier.close();
  await db.drop();
});

const deps = () => ({ pool: db.pool, connectionString: db.connectionString, notifier, log });

const collect = (
  subscriptionId: string,
  filter: SubscriptionFilter = { kind: 'all' },
  pollIntervalMs = 100,
) => {
  const seen: RecordedEvent[] = [];
  const runner = startSubscription(deps(), {
    subscriptionId,
    filter,
    lease: false,
    pollIntervalMs,
    handle: async (batch, from) => {
      seen.push(...batch.events);
      await storeCheckpoint(db.pool, subscriptionId, from, batch.checkpoint);
    },
  });
  return { seen, runner };
};

describe('commit-safe reading', () => {
  it('does not skip an event written by a slow transaction that began before a faster one', async () => {
    const before = await readBatch(db.pool, {
      filter: { kind: 'all' },
      after: START_CHECKPOINT,
      limit: 10_000,
    });
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      await createPostgresEventStore(slow).appendToStream(`slow-${newId()}`, [anEvent('SlowWritten')]);
      await store.appendToStream(`fast-${newId()}`, [anEvent('FastWritten')]);

      const whileSlowIsOpen = await readBatch(db.pool, {
        filter: { kind: 'all' },
        after: before.checkpoint,
        limit: 100,
      });
      expect(whileSlowIsOpen.events.map((e) => e.type)).toEqual([]);

      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    // Once committed both are readable, as soon as no older transaction anywhere in the cluster
    // (another test file's, when files run side by side) is still open.
    const afterCommit = async () =>
      (await readBatch(db.pool, { filter: { kind: 'all' }, after: before.checkpoint, limit: 100 })).events;
    await waitFor(async () => (await afterCommit()).length >= 2, 20_000, 'both events');
    expect((await afterCommit()).map((e) => e.type)).toEqual(['SlowWritten', 'FastWritten']);
  });

  it('lets a live subscriber see both the slow and the fast transaction, in commit-safe order', async () => {
    const category = `race${newId().slice(-6).toLowerCase()}`;
    const { seen, runner } = collect(`race-${newId()}`, { kind: 'categories', categories: [category] });
    await runner.drain();
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      await createPostgresEventStore(slow).appendToStream(`${category}-slow`, [anEvent('SlowWritten')]);
      await store.appendToStream(`${category}-fast`, [anEvent('FastWritten')]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(seen).toEqual([]);
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    await waitFor(() => seen.length === 2, 10_000, 'both events');
    expect(seen.map((e) => e.type)).toEqual(['SlowWritten', 'FastWritten']);
    await runner.stop();
  });
});

describe('catch-up subscriptions', () => {
  it('delivers every event once, in order, from the start', async () => {
    const stream = `order-${newId()}`;
    await store.appendToStream(stream, events(25));
    const { seen, runner } = collect(`all-${newId()}`);
    await runner.drain();
    const ours = seen.filter((e) => e.streamName === stream);
    expect(ours.map((e) => e.streamRevision)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    await runner.stop();
  });

  it('filters by category and by event type', async () => {
    const category = `cat${newId().slice(-6).toLowerCase()}`;
    await store.appendToStream(`${category}-1`, [anEvent('Kept'), anEvent('Other')]);
    await store.appendToStream(`elsewhere-${newId()}`, [anEvent('Kept')]);
    const byCategory = collect(`bycat-${newId()}`, { kind: 'categories', categories: [category] });
    const byType = collect(`bytype-${newId()}`, { kind: 'eventTypes', eventTypes: ['Other'] });
    await Promise.all([byCategory.runner.drain(), byType.runner.drain()]);
    expect(byCategory.seen.map((e) => `${e.streamName}:${e.type}`)).toEqual([
      `${category}-1:Kept`,
      `${category}-1:Other`,
    ]);
    expect(byType.seen.map((e) => e.type)).toEqual(['Other']);
    await Promise.all([byCategory.runner.stop(), byType.runner.stop()]);
  });

  it('moves a filtered subscription past events it does not want', async () => {
    const id = `skip-${newId()}`;
    await store.appendToStream(`unwanted-${newId()}`, events(5));
    const { runner } = collect(id, { kind: 'eventTypes', eventTypes: ['NeverWritten'] });
    await runner.drain();
    const head = await store.readAll();
    expect(runner.position()?.globalPosition).toBe(head.at(-1)!.globalPosition);
    await runner.stop();
  });

  it('stores a place moved only by others’ events once per idle interval, and when drained', async () => {
    const id = `idle-${newId()}`;
    const handled: number[] = [];
    const runner = startSubscription(deps(), {
      subscriptionId: id,
      filter: { kind: 'eventTypes', eventTypes: ['WantedHere'] },
      lease: false,
      pollIntervalMs: 20,
      idleCheckpointMs: 60_000,
      handle: async (batch, from) => {
        handled.push(batch.events.length);
        await storeCheckpoint(db.pool, id, from, batch.checkpoint);
      },
    });
    await runner.drain();
    const stored = () =>
      db.pool
        .query<{ pos: number }>(
          'SELECT global_position AS pos FROM subscription_checkpoints WHERE subscription_id = $1',
          [id],
        )
        .then(({ rows }) => rows[0]?.pos);
    const before = await stored();
    const calls = handled.length;
    // Others' events, each read past on the runner's 20 ms poll: its place moves, nothing is written.
    for (let i = 0; i < 10; i += 1) {
      await store.appendToStream(`unwanted-${newId()}`, [anEvent('NotWanted')]);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await waitFor(async () => {
      const head = await store.readAll();
      return runner.position()?.globalPosition === head.at(-1)!.globalPosition;
    });
    expect(handled.length).toBe(calls);
    expect(await stored()).toBe(before);
    // One of its own is handled (and stored) at once; a drain stores the place wherever it stands.
    await store.appendToStream(`wanted-${newId()}`, [anEvent('WantedHere')]);
    await waitFor(async () => handled.at(-1) === 1);
    await store.appendToStream(`unwanted-${newId()}`, [anEvent('NotWanted')]);
    await runner.drain();
    const head = await store.readAll();
    expect(await stored()).toBe(head.at(-1)!.globalPosition);
    expect(handled.slice(calls)).toEqual([1, 0]);
    await runner.stop();
  });

  it('resumes from its stored checkpoint', async () => {
    const id = `resume-${newId()}`;
    const first = collect(id);
    await first.runner.drain();
    await first.runner.stop();
    const stream = `order-${newId()}`;
    await store.appendToStream(stream, events(3));
    const second = collect(id);
    await second.runner.drain();
    expect(second.seen.map((e) => e.streamName)).toEqual([stream, stream, stream]);
    await second.runner.stop();
  });

  it('wakes a live subscriber in another process through NOTIFY rather than its poll interval', async () => {
    // A separate notifier stands for another process: it hears only what arrives over LISTEN.
    const elsewhere = createNotifier(db.connectionString);
    const seen: RecordedEvent[] = [];
    const id = `live-${newId()}`;
    const runner = startSubscription(
      { ...deps(), notifier: elsewhere },
      {
        subscriptionId: id,
        filter: { kind: 'all' },
        lease: false,
        pollIntervalMs: 120_000,
        handle: async (batch, from) => {
          seen.push(...batch.events);
          await storeCheckpoint(db.pool, id, from, batch.checkpoint);
        },
      },
    );
    await runner.drain();
    const before = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 200)); // let it settle into waiting
    await store.appendToStream(`order-${newId()}`, [anEvent('Live')]);
    await waitFor(() => seen.length > before, 10_000, 'the notified event');
    expect(seen.at(-1)!.type).toBe('Live');
    await runner.stop();
    await elsewhere.close();
  });
  it('wakes its own process once per append: its own NOTIFY coming back wakes nobody again', async () => {
    // Each notifier stands for a process; both hear the channel.
    const mine = createNotifier(db.connectionString, silentLogger, db.pool);
    const elsewhere = createNotifier(db.connectionString);
    const wakes: string[] = [];
    mine.onAppend((hint) => wakes.push(`here ${hint?.categories.join(',') ?? 'anything'}`));
    elsewhere.onAppend((hint) => wakes.push(`elsewhere ${hint?.categories.join(',') ?? 'anything'}`));
    // Each wakes its listeners once when its LISTEN connection is up.
    await waitFor(
      () => wakes.filter((wake) => wake.endsWith('anything')).length === 2,
      10_000,
      'both listening',
    );
    wakes.length = 0;

    mine.announce({ categories: ['order'], eventTypes: ['Live'] });
    await waitFor(() => wakes.includes('elsewhere order'), 10_000, 'the NOTIFY in the other process');
    await new Promise((resolve) => setTimeout(resolve, 300)); // time for the echo to come back
    expect(wakes.sort()).toEqual(['elsewhere order', 'here order']);

    // What the other process announces wakes this one, once.
    wakes.length = 0;
    elsewhere.announce({ categories: ['consultation'], eventTypes: ['Live'] });
    await waitFor(() => wakes.includes('here consultation'), 10_000, 'the NOTIFY from the other process');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wakes.sort()).toEqual(['elsewhere consultation', 'here consultation']);
    await mine.close();
    await elsewhere.close();
  });
});

describe('crashes and leases', () => {
  const seenCounts = async () =>
    (
      await db.pool.query<{ event_id: string; copies: number }>(
        'SELECT event_id, count(*)::int AS copies FROM seen GROUP BY event_id',
      )
    ).rows;

  const resetSeen = async () => {
    await db.pool.query('TRUNCATE seen');
    await db.pool.query("DELETE FROM subscription_checkpoints WHERE subscription_id = 'projection:seen'");
  };

  it('resumes after the consuming process is killed, handling each event exactly once', async () => {
    await resetSeen();
    await store.appendToStream(`bulk-${newId()}`, events(300));
    const total = (await store.readAll()).length;
    const first = startChild('childConsumer.ts', {
      TEST_DB_URL: db.connectionString,
      BATCH_SIZE: '10',
      DELAY_MS: '20',
    });
    await waitFor(
      async () => (await seenCounts()).length >= 50,
      20_000,
      'the first process to make progress',
    );
    first.kill('SIGKILL');
    await first.exited;
    const handledByFirst = (await seenCounts()).length;
    expect(handledByFirst).toBeLessThan(total);

    const second = startChild('childConsumer.ts', { TEST_DB_URL: db.connectionString });
    await waitFor(async () => (await seenCounts()).length === total, 20_000, 'the second process to finish');
    second.kill('SIGKILL');
    await second.exited;
    const counts = await seenCounts();
    expect(counts.every((c) => c.copies === 1)).toBe(true);
    const bySecond = await db.pool.query('SELECT count(*)::int AS n FROM seen WHERE pid = $1', [second.pid]);
    expect(bySecond.rows[0].n).toBe(total - handledByFirst);
  });

  it('keeps a projection exactly-once when the process dies between handling and checkpoint', async () => {
    await resetSeen();
    const written = await store.appendToStream(`crash-${newId()}`, events(40));
    const total = (await store.readAll()).length;
    const crashing = startChild('childConsumer.ts', {
      TEST_DB_URL: db.connectionString,
      BATCH_SIZE: '7',
      CRASH_AT_POSITION: String(written.lastGlobalPosition - 5),
    });
    await crashing.exited;
    expect((await seenCounts()).length).toBeLessThan(total);

    const survivor = startChild('childConsumer.ts', { TEST_DB_URL: db.connectionString, BATCH_SIZE: '7' });
    await waitFor(async () => (await seenCounts()).length === total, 20_000, 'all events projected');
    survivor.kill('SIGKILL');
    await survivor.exited;
    expect((await seenCounts()).every((c) => c.copies === 1)).toBe(true);
  });

  const takeover = async (disable: (child: ReturnType<typeof startChild>) => void) => {
    await resetSeen();
    const holder = startChild('childConsumer.ts', { TEST_DB_URL: db.connectionString });
    await store.appendToStream(`lease-${newId()}`, events(5));
    const before = (await store.readAll()).length;
    await waitFor(async () => (await seenCounts()).length === before, 20_000, 'the holder to consume');

    const standby = startProjection(createPostgresConsumers(deps()), deps().pool, seenProjection(), {
      holder: 'standby',
      pollIntervalMs: 100,
    });
    await store.appendToStream(`lease-${newId()}`, events(5));
    const total = before + 5;
    await waitFor(async () => (await seenCounts()).length === total, 20_000, 'the holder to consume more');
    const mine = async () =>
      (await db.pool.query('SELECT count(*)::int AS n FROM seen WHERE pid = $1', [process.pid])).rows[0]
        .n as number;
    expect(await mine()).toBe(0);

    disable(holder);
    await store.appendToStream(`lease-${newId()}`, events(5));
    await waitFor(async () => (await mine()) === 5, 20_000, 'the standby to take over');
    const lease = await db.pool.query(
      "SELECT holder FROM subscription_leases WHERE subscription_id = 'projection:seen'",
    );
    expect(lease.rows[0].holder).toBe('standby');
    expect((await seenCounts()).every((c) => c.copies === 1)).toBe(true);
    await standby.stop();
    holder.kill('SIGKILL');
    await holder.exited;
  };

  it('hands the lease to another instance when the holder is killed', async () => {
    await takeover((holder) => holder.kill('SIGKILL'));
  });

  it('takes the lease from a holder that hangs without dying', async () => {
    await takeover((holder) => holder.kill('SIGSTOP'));
  });
});
