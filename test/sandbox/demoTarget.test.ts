import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoAgainst } from '../../sandbox/demo/run.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

// The platform as `npm start` runs it, already up: the demo drives it from outside, through its
// public API and sandbox controls only, so its cases land in this platform's database and console.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

describe('npm run demo -- --target <running platform>', () => {
  it('drives orders and a consultation on the running platform through its sandbox controls', async () => {
    const report = await runDemoAgainst(
      { url: harness.url, intakeKey: harness.composition.intakeApiKey, passwords: harness.passwords },
      { orders: 3, concurrency: 3, consultations: 1 },
    );
    expect(report.failures).toEqual([]);
    expect(report.target).toBe(harness.url);
    expect(report.byStatus.completed).toBe(3);
    expect(Object.values(report.consultations).reduce((a, b) => a + b, 0)).toBe(1);
    const { rows } = await harness.db.pool.query<{ status: string }>('SELECT status FROM orders');
    expect(rows.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  }, 240_000);

  it('refuses a platform without sandbox controls', async () => {
    await expect(
      runDemoAgainst(
        { url: `${harness.url}/nowhere`, intakeKey: 'x', passwords: {} },
        { orders: 1, concurrency: 1 },
      ),
    ).rejects.toThrow(/sandbox controls: 404/);
  });
});
