import { describe, expect, inject, it } from 'vitest';
import { runDemo } from '../../sandbox/demo/run.js';

describe('npm run demo', () => {
  it('drives generated orders on the sample plans to their end, and ships no cold drug on an ambient service', async () => {
    const report = await runDemo({
      orders: 16,
      concurrency: 4,
      consultations: 0,
      databaseUrl: inject('databaseUrl'),
    });
    expect(report.failures).toEqual([]);
    expect(report.byStatus.completed).toBeGreaterThan(10);
    expect(report.coldChain.shipped).toBeGreaterThan(0);
    expect(report.coldChain.onAmbientService).toBe(0);
  }, 180_000);
});
