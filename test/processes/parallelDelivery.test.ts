import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createProcessRuntime } from '../../src/processes/runtime.js';
import { deliverByStream } from '../../src/processes/streamDelivery.js';
import { startChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { echoProcess } from '../support/echoProcess.js';
import { anEvent, waitFor } from '../support/events.js';
import { postgresProcessDeps } from '../support/processDeps.js';

const STREAMS = 6;

type Setup = { db: TestDatabase; notifier: Notifier; store: EventStore };
const setUp = async (): Promise<Setup> => {
  const db = await createTestDatabase();
  const notifier = createNotifier(db.connectionString, silentLogger, db.pool);
  const store = createPostgresEventStore(db.pool, { afterAppend: notifier.announce });
  return { db, notifier, store };
};
const tearDown = async (setup: Setup | undefined) => {
  await setup?.notifier.close();
  await setup?.db.drop();
};

/** `perStream` ticks on each of six streams, appended round-robin so the streams interleave. */
const appendTicks = async (store: EventStore, perStream: number) => {
  for (let seq = 0; seq < perStream; seq++) {
    for (let s = 0; s < STREAMS; s++) await store.appendToStream(`src-${s}`, [anEvent('Tick', { seq })]);
  }
};

/** Each echo stream's seqs in the order they were written. */
const echoes = async (db: TestDatabase) => {
  const { rows } = await db.pool.query<{ stream_name: string; seqs: number[] }>(
    `SELECT stream_name, array_agg((data->>'seq')::int ORDER BY stream_revision) AS seqs
       FROM events WHERE stream_name LIKE 'echo-%' GROUP BY stream_name ORDER BY stream_name`,
  );
  return rows;
};
const echoCount = async (db: TestDatabase) => (await echoes(db)).reduce((n, row) => n + row.seqs.length, 0);
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('delivering a batch by stream', () => {
  it('given a failure on one stream, when delivering, then nothing new starts and the failure is thrown after the rest finish', async () => {
    const events = [
      { streamName: 'a', n: 1 },
      { streamName: 'b', n: 1 },
      { streamName: 'a', n: 2 },
      { streamName: 'b', n: 2 },
    ];
    const delivered: string[] = [];
    const outcome = await deliverByStream(events, 2, async (e) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (e.streamName === 'a' && e.n === 1) throw new Error('a1 failed');
      delivered.push(`${e.streamName}${e.n}`);
    }).catch((error: Error) => error.message);
    expect(outcome).toBe('a1 failed');
    // a2 never ran after a1 failed: a stream's order is never broken by a failure.
    expect(delivered).not.toContain('a2');
  });
});

describe('parallel delivery in one process', () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp();
  });
  afterAll(() => tearDown(setup));

  it('given six interleaved streams, when a width-4 process manager handles them, then four streams run at once and each stream stays in order', async () => {
    const { db, notifier, store } = setup!;
    await appendTicks(store, 15);
    const delivered = new Map<string, number[]>();
    let inFlight = 0;
    let widest = 0;
    const runtime = createProcessRuntime(
      postgresProcessDeps({
        pool: db.pool,
        connectionString: db.connectionString,
        notifier,
        log: silentLogger,
        store,
      }),
    );
    const runner = runtime.start(
      echoProcess(store, {
        async onDeliver(stream, seq) {
          inFlight += 1;
          widest = Math.max(widest, inFlight);
          delivered.set(stream, [...(delivered.get(stream) ?? []), seq]);
          // Uneven work, so streams overtake one another.
          await new Promise((resolve) => setTimeout(resolve, (seq * 7 + stream.length) % 4));
          inFlight -= 1;
        },
      }),
      { width: 4, pollIntervalMs: 100 },
    );
    try {
      await waitFor(async () => (await echoCount(db)) === STREAMS * 15, 20_000, 'every tick echoed');
    } finally {
      await runner.stop();
    }

    expect(widest).toBe(4);
    expect([...delivered.keys()].sort()).toEqual(upTo(STREAMS).map((s) => `src-${s}`));
    for (const seqs of delivered.values()) expect(seqs).toEqual(upTo(15));
    for (const row of await echoes(db)) expect(row.seqs).toEqual(upTo(15));
  });
});

describe('a crash in the middle of a parallel batch', () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp();
  });
  afterAll(() => tearDown(setup));

  it('given a process killed mid-batch, when another takes over, then every effect exists once and in its stream order', async () => {
    const { db, store } = setup!;
    await appendTicks(store, 20);
    const total = STREAMS * 20;

    const crashing = startChild('childEcho.ts', {
      TEST_DB_URL: db.connectionString,
      WIDTH: '4',
      CRASH_AT: JSON.stringify({ stream: 'src-3', seq: 8 }),
    });
    await crashing.exited;
    const atCrash = await echoes(db);
    const { rows: checkpoints } = await db.pool.query<{ global_position: number }>(
      "SELECT global_position FROM subscription_checkpoints WHERE subscription_id = 'process:echo'",
    );
    const { rows: trigger } = await db.pool.query<{ global_position: number }>(
      "SELECT global_position FROM events WHERE stream_name = 'src-3' AND (data->>'seq')::int = 8",
    );
    // Killed inside a batch: effects of several streams written, the checkpoint (if a progress
    // checkpoint was stored at all) short of the event in hand.
    expect(checkpoints.every((c) => c.global_position < trigger[0]!.global_position)).toBe(true);
    expect(atCrash.length).toBeGreaterThan(1);
    expect(atCrash.reduce((n, row) => n + row.seqs.length, 0)).toBeLessThan(total);

    const survivor = startChild('childEcho.ts', { TEST_DB_URL: db.connectionString, WIDTH: '4' });
    try {
      await waitFor(async () => (await echoCount(db)) >= total, 30_000, 'the survivor to echo every tick');
      await waitFor(
        async () =>
          (
            await db.pool.query(
              "SELECT 1 FROM subscription_checkpoints WHERE subscription_id = 'process:echo' AND global_position > 0",
            )
          ).rows.length === 1,
        30_000,
        'the survivor to checkpoint',
      );
    } finally {
      survivor.kill('SIGKILL');
      await survivor.exited;
    }

    const after = await echoes(db);
    expect(after.map((row) => row.stream_name)).toEqual(upTo(STREAMS).map((s) => `echo-${s}`));
    // Not skipped, not repeated, not reordered.
    for (const row of after) expect(row.seqs).toEqual(upTo(20));
  });
});
