import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/eventstore/postgres/database.js';
import { MINUTE, manualClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { createTimerService, type FiredTimer } from '../../src/processes/timers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('durable timers', () => {
  it('fire when due by the clock, not before, and only once', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const timers = createTimerService(db.pool, clock);
    const fired: FiredTimer[] = [];
    timers.register('reminder', async (timer) => {
      fired.push(timer);
    });
    const id = `t-${newId()}`;
    await timers.schedule({
      id,
      kind: 'reminder',
      dueAt: new Date('2026-11-21T10:05:00Z'),
      payload: { n: 1 },
    });
    await timers.schedule({
      id,
      kind: 'reminder',
      dueAt: new Date('2026-11-21T10:01:00Z'),
      payload: { n: 2 },
    });
    expect(await timers.tick()).toBe(0);
    clock.advance(5 * MINUTE);
    expect(await timers.tick()).toBe(1);
    expect(await timers.tick()).toBe(0);
    expect(fired.map((t) => t.payload)).toEqual([{ n: 1 }]);
  });

  it('fire after a restart: a new process with a new pool finds the timers scheduled before', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const before = createTimerService(db.pool, clock);
    const id = `t-${newId()}`;
    await before.schedule({
      id,
      kind: 'poll-tracking',
      dueAt: new Date('2026-11-21T12:00:00Z'),
      payload: { id },
    });
    await before.stop();

    const pool = createPool(db.connectionString);
    const after = createTimerService(pool, clock);
    const fired: unknown[] = [];
    after.register('poll-tracking', async (timer) => {
      fired.push(timer.payload);
    });
    clock.advance(2 * 60 * MINUTE);
    await after.tick();
    expect(fired).toEqual([{ id }]);
    await pool.end();
  });

  it('retry a failing handler with back-off and mark it failed after the last attempt', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const timers = createTimerService(db.pool, clock);
    let calls = 0;
    timers.register('flaky', async () => {
      calls += 1;
      throw new Error('still broken');
    });
    const id = `t-${newId()}`;
    await timers.schedule({ id, kind: 'flaky', dueAt: clock.now() });
    for (let i = 0; i < 10; i++) {
      await timers.tick();
      clock.advance(MINUTE);
    }
    expect(calls).toBe(5);
    const row = await db.pool.query('SELECT status, attempts, last_error FROM timers WHERE timer_id = $1', [
      id,
    ]);
    expect(row.rows[0]).toEqual({ status: 'failed', attempts: 5, last_error: 'still broken' });
  });

  it('fire on a tick asked for after the clock moved, even while an earlier tick is still running', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const timers = createTimerService(db.pool, clock);
    const fired: string[] = [];
    timers.register('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      fired.push('slow');
    });
    timers.register('later', async () => {
      fired.push('later');
    });
    await timers.schedule({ id: `t-${newId()}`, kind: 'slow', dueAt: clock.now() });
    await timers.schedule({ id: `t-${newId()}`, kind: 'later', dueAt: new Date('2026-11-22T10:00:00Z') });
    const earlier = timers.tick(); // claims with the old time and is still running…
    clock.advance(24 * 60 * MINUTE); // …when the clock moves a day
    await timers.tick();
    await earlier;
    expect(fired).toEqual(['slow', 'later']);
  });

  it('can be cancelled before they fire', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const timers = createTimerService(db.pool, clock);
    let calls = 0;
    timers.register('cancelled', async () => {
      calls += 1;
    });
    const id = `t-${newId()}`;
    await timers.schedule({ id, kind: 'cancelled', dueAt: clock.now() });
    await timers.cancel(id);
    await timers.tick();
    expect(calls).toBe(0);
  });
});
