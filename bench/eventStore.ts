import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storeCheckpoint } from '../src/eventstore/postgres/checkpoints.js';
import { createNotifier } from '../src/eventstore/postgres/notifier.js';
import { START_CHECKPOINT } from '../src/eventstore/postgres/position.js';
import { createPostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.js';
import { readBatch } from '../src/eventstore/postgres/readBatch.js';
import { startSubscription } from '../src/eventstore/postgres/subscriptionRunner.js';
import type { EventToAppend } from '../src/eventstore/types.js';
import { silentLogger } from '../src/platform/logger.js';
import { projectRoot } from '../src/platform/paths.js';
import type { SqlPool } from '../src/platform/sql.js';
import type { PeerRound } from './emmettPeer.js';
import { fmt, row, throughput } from './support.js';
import { metadata, payload } from './workload.js';

const eventBatch = (size: number): EventToAppend[] =>
  Array.from({ length: size }, () => ({
    id: randomUUID(),
    type: 'BenchEventRecorded',
    data: payload,
    metadata,
  }));

/** Each figure is the median of this many alternating store/anchor rounds. */
const ROUNDS = 7;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const RAW_TABLE = `CREATE TABLE IF NOT EXISTS bench_raw (
  id bigserial PRIMARY KEY, stream_name text NOT NULL, stream_revision bigint NOT NULL, event_id uuid NOT NULL,
  event_type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL)`;

/** The anchor: the same rows written with one plain parameterised INSERT each, no event-store logic. */
const rawInsert = (pool: SqlPool, stream: string, events: readonly EventToAppend[]) =>
  pool.query(
    `INSERT INTO bench_raw (stream_name, stream_revision, event_id, event_type, data, metadata)
     SELECT $1, r, id, type, data, meta
       FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[]) WITH ORDINALITY AS t(id, type, data, meta, r)`,
    [
      stream,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
    ],
  );

/** The peer's version, as installed (its package.json is not among its exports). */
const emmettVersion = async () =>
  (
    JSON.parse(
      await readFile(
        join(projectRoot, 'node_modules', '@event-driven-io', 'emmett-postgresql', 'package.json'),
        'utf8',
      ),
    ) as { version: string }
  ).version;

/** Emmett's store in its process (bench/emmettPeer.ts), ready for rounds; `round` resolves to appends/s. */
const startEmmettPeer = (connectionString: string) =>
  new Promise<{ round(job: PeerRound): Promise<number>; close(): Promise<void> }>((resolve, reject) => {
    const child = fork(join(projectRoot, 'bench', 'emmettPeer.ts'), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, EMMETT_DATABASE_URL: connectionString },
    });
    const early = (code: number | null) => reject(new Error(`the Emmett peer exited ${code}`));
    child.once('exit', early);
    child.once('message', () => {
      child.off('exit', early);
      resolve({
        round: (job) =>
          new Promise((answered) => {
            child.once('message', (m) => answered((m as { rate: number }).rate));
            child.send(job);
          }),
        close: () =>
          new Promise((closed) => {
            child.once('exit', () => closed());
            child.send('close');
          }),
      });
    });
  });

type Side = 'raw' | 'ours' | 'emmett';
const SIDES: readonly Side[] = ['raw', 'ours', 'emmett'];

export const benchAppends = async (
  pool: SqlPool,
  connectionString: string,
  seconds: number,
): Promise<string[]> => {
  await pool.query(RAW_TABLE);
  // Wired as the platform wires it: every committed append announced to listening subscribers.
  const notifier = createNotifier(connectionString, silentLogger, pool);
  const store = createPostgresEventStore(pool, { afterAppend: notifier.announce });
  // The peer on the same server and database, in its own tables (emt_*).
  const emmett = await startEmmettPeer(connectionString);
  const peer = `Emmett ${await emmettVersion()}`;
  const lines: string[] = [];
  try {
    for (const writers of [1, 4]) {
      for (const size of [1, 10]) {
        const roundSeconds = seconds / ROUNDS;
        const measure: Record<Side, (round: number) => Promise<number>> = {
          raw: (round) =>
            throughput(writers, roundSeconds, (w, i) =>
              rawInsert(pool, `bench-${w}-${round}-${i % 500}`, eventBatch(size)).then(() => {}),
            ),
          ours: () =>
            throughput(writers, roundSeconds, (w, i) =>
              store.appendToStream(`bench-${w}x${i % 500}`, eventBatch(size)).then(() => {}),
            ),
          emmett: () => emmett.round({ writers, size, seconds: roundSeconds }),
        };
        // Short alternating rounds, medians reported: drift on a busy machine hits every side alike.
        // Each round starts with a different side, so that none always follows the same one.
        const rates: Record<Side, number[]> = { raw: [], ours: [], emmett: [] };
        for (let round = 0; round < ROUNDS; round++) {
          for (let k = 0; k < SIDES.length; k++) {
            const side = SIDES[(round + k) % SIDES.length]!;
            rates[side].push(await measure[side](round));
          }
        }
        const [raw, ours, theirs] = SIDES.map((side) => median(rates[side]));
        const workload = `${size === 1 ? 'single-event' : '10-event'}, ${writers} writer${writers > 1 ? 's' : ''}`;
        const anchor = `raw INSERT, ${writers} client${writers > 1 ? 's' : ''}`;
        lines.push(
          row(
            `append ${workload}`,
            fmt(ours! * size, 'ev/s'),
            anchor,
            fmt(raw! * size, 'rows/s'),
            ours! / raw!,
          ),
          row(
            `  peer: ${peer} (ours ${(ours! / theirs!).toFixed(2)}×)`,
            fmt(theirs! * size, 'ev/s'),
            anchor,
            fmt(raw! * size, 'rows/s'),
            theirs! / raw!,
          ),
        );
      }
    }
  } finally {
    await emmett.close();
    await notifier.close();
  }
  return lines;
};

export const benchCatchUp = async (
  pool: SqlPool,
  connectionString: string,
  total: number,
): Promise<string[]> => {
  const store = createPostgresEventStore(pool);
  let written = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
  for (let i = 0; written < total; i++) {
    await store.appendToStream(`catchup-${i % 1000}`, eventBatch(500));
    written += 500;
  }
  const limit = 2_000;

  // Anchor: page through the same rows with a plain keyset SELECT, parsing them through pg alike.
  let started = performance.now();
  let read = 0;
  for (let after = 0; ; ) {
    const { rows } = await pool.query<{ global_position: number }>(
      `SELECT global_position, stream_name, stream_revision, event_id, event_type, data, metadata
         FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, limit],
    );
    read += rows.length;
    if (rows.length < limit) break;
    after = rows.at(-1)!.global_position;
  }
  const rawRate = read / ((performance.now() - started) / 1000);

  started = performance.now();
  let from = START_CHECKPOINT;
  let caught = 0;
  for (;;) {
    const batch = await readBatch(pool, { filter: { kind: 'all' }, after: from, limit });
    caught += batch.events.length;
    from = batch.checkpoint;
    if (batch.events.length < limit) break;
  }
  if (caught !== read)
    throw new Error(`catch-up read ${caught} of ${read} events, stopped at ${JSON.stringify(from)}`);
  const readRate = caught / ((performance.now() - started) / 1000);

  // The full subscription: commit-safe reads, handler call and a stored checkpoint per batch.
  const notifier = createNotifier(connectionString);
  let handled = 0;
  started = performance.now();
  const runner = startSubscription(
    { pool, connectionString, notifier, log: silentLogger },
    {
      subscriptionId: 'bench-catch-up',
      filter: { kind: 'all' },
      batchSize: limit,
      lease: false,
      handle: (batch, previous) => {
        handled += batch.events.length;
        return storeCheckpoint(pool, 'bench-catch-up', previous, batch.checkpoint);
      },
    },
  );
  await runner.drain(600_000);
  const subscriptionRate = handled / ((performance.now() - started) / 1000);
  if (handled !== read) throw new Error(`subscription handled ${handled} of ${read} events`);
  await runner.stop();
  await notifier.close();

  return [
    row(
      `catch-up read (${fmt(read, 'events')})`,
      fmt(readRate, 'ev/s'),
      'raw keyset SELECT',
      fmt(rawRate, 'rows/s'),
      readRate / rawRate,
    ),
    row(
      'catch-up subscription incl. checkpoints',
      fmt(subscriptionRate, 'ev/s'),
      'raw keyset SELECT',
      fmt(rawRate, 'rows/s'),
      subscriptionRate / rawRate,
    ),
  ];
};
