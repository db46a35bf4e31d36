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

describe('the demo drivers following the live feed', () => {
  it('carry every order to its end reading the console websocket, with REST reads only for details', async () => {
    const report = await runDemo({
      orders: 10,
      concurrency: 5,
      consultations: 0,
      followLive: true,
      databaseUrl: inject('databaseUrl'),
    });
    expect(report.failures).toEqual([]);
    expect((report.byStatus.completed ?? 0) + (report.byStatus.cancelled ?? 0)).toBe(10);
  }, 180_000);
});
