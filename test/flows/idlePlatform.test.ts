import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  eventually,
  type Harness,
  sampleNewRx,
  startHarness,
} from '../support/platformHarness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ productionTimings: true });
});
afterAll(() => harness?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Transactions committed in the platform's database so far (every SELECT counts too). */
const committed = async () => {
  const { rows } = await harness.db.pool.query<{ n: string }>(
    'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0]!.n);
};

/** The idle window; PostgreSQL flushes a busy backend's counters at least every 10 s. */
const WINDOW_MS = 12_000;
/** The bound: fewer than 20 transactions a second. */
const PER_SECOND_BOUND = 20;

describe('an idle platform idles', () => {
  it('given production timings, when an order arrives, then it moves at once (woken by NOTIFY, not by a poll)', async () => {
    const api = apiClient(harness.url);
    const intake = await api.post('/api/intake', await sampleNewRx(), {
      'x-api-key': harness.composition.intakeApiKey,
      'content-type': 'application/xml',
    });
    expect(intake.status).toBe(202);
    // Each subscription's own poll is 30 s: validation within 10 s means a NOTIFY (or the process's
    // horizon poll) woke the process manager.
    await eventually(
      async () => {
        const { rows } = await harness.db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM events WHERE event_type = 'PrescriptionValidated'",
        );
        return rows[0]!.n === 1;
      },
      'the order to be validated',
      10_000,
    );
  });

  it('given nothing happening, when its transactions are counted over 12 s, then fewer than 20 a second commit', async () => {
    await harness.composition.platform.drain(20_000);
    // Backends that went idle with unflushed counters flush them within 10 s: let the start-up's
    // own transactions land before the window opens.
    await sleep(11_000);
    const cpuBefore = process.cpuUsage();
    const before = await committed();
    await sleep(WINDOW_MS);
    const after = await committed();
    const cpu = process.cpuUsage(cpuBefore);
    const transactions = after - before;
    // For the report: this test process holds the platform, its stand-ins and the test runner.
    console.log(
      `idle: ${transactions} transactions in ${WINDOW_MS / 1000} s (${(transactions / (WINDOW_MS / 1000)).toFixed(1)}/s); ` +
        `node CPU ${((cpu.user + cpu.system) / 1000 / WINDOW_MS).toFixed(3)} cores`,
    );
    expect(transactions).toBeLessThan((PER_SECOND_BOUND * WINDOW_MS) / 1000);
  });
});
