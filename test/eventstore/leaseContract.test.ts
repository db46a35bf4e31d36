import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leases } from '../../src/eventstore/leases.js';
import { createMemoryLeases } from '../../src/eventstore/memory/memoryLeases.js';
import { createPostgresLeases, type PostgresLeases } from '../../src/eventstore/postgres/lease.js';
import { newId } from '../../src/platform/ids.js';
import { createTestDatabase } from '../support/database.js';
import { waitFor } from '../support/events.js';

// One lease contract, every adapter behind the Leases port.
type Opened = { leases: Leases; close(): Promise<void> };
const adapters: { name: string; open(): Promise<Opened> }[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const db = await createTestDatabase();
      const leases = createPostgresLeases({ connectionString: db.connectionString });
      return {
        leases,
        async close() {
          await leases.close();
          await db.drop();
        },
      };
    },
  },
  { name: 'in memory', open: async () => ({ leases: createMemoryLeases(), close: async () => {} }) },
];

describe.each(adapters)('the lease contract: $name', (adapter) => {
  let opened: Opened | undefined;
  beforeAll(async () => {
    opened = await adapter.open();
  });
  afterAll(() => opened?.close());

  it('gives a lease to one holder at a time and hands it over on release', async () => {
    const name = `lease-${newId()}`;
    const first = opened!.leases.acquire(name, 'first');
    await first.acquired;
    const second = opened!.leases.acquire(name, 'second');
    let secondHeld = false;
    void second.acquired.then(() => {
      secondHeld = true;
    });
    // The second waits while the first holds: it is still waiting after the first's own work.
    const other = opened!.leases.acquire(`lease-${newId()}`, 'elsewhere');
    await other.acquired;
    await other.release();
    expect(first.isHeld()).toBe(true);
    expect(secondHeld).toBe(false);
    expect(second.isHeld()).toBe(false);

    await first.release();
    await waitFor(() => secondHeld, 10_000, 'the lease to move');
    expect(first.isHeld()).toBe(false);
    expect(second.isHeld()).toBe(true);
    await second.release();
  });

  it('refuses a lease released before it was acquired, and leaves it to the next one', async () => {
    const name = `lease-${newId()}`;
    const holder = opened!.leases.acquire(name, 'holder');
    await holder.acquired;
    const impatient = opened!.leases.acquire(name, 'impatient');
    await impatient.release();
    await expect(impatient.acquired).rejects.toThrow(/released before it was acquired/);
    const next = opened!.leases.acquire(name, 'next');
    await holder.release();
    await next.acquired;
    expect(next.isHeld()).toBe(true);
    await next.release();
  });
});

describe('PostgreSQL leases: one connection per process', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const opened: PostgresLeases[] = [];
  const open = () => {
    const leases = createPostgresLeases({ connectionString: db.connectionString });
    opened.push(leases);
    return leases;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(opened.map((leases) => leases.close()));
    await db.drop();
  });

  const leaseSessions = async () =>
    (
      await db.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'pharmacy-leases' ORDER BY pid`,
      )
    ).rows.map((row) => row.pid);

  it('holds and waits for forty leases on one connection, and hands them all over when it ends', async () => {
    const names = Array.from({ length: 40 }, (_, index) => `group-${index}-${newId()}`);
    const first = open();
    const second = open();
    const held = names.map((name) => first.acquire(name, 'first'));
    await Promise.all(held.map((lease) => lease.acquired));
    const waiting = names.map((name) => second.acquire(name, 'second'));
    let taken = 0;
    for (const lease of waiting) void lease.acquired.then(() => (taken += 1));
    // Forty held here, forty waited for there: two sessions in all.
    await waitFor(async () => (await leaseSessions()).length === 2, 10_000, 'both processes to connect');
    expect(taken).toBe(0);
    const holders = await db.pool.query<{ holder: string; sessions: number; leases: number }>(
      `SELECT holder, count(DISTINCT backend_pid)::int AS sessions, count(*)::int AS leases
         FROM subscription_leases WHERE subscription_id = ANY($1) GROUP BY holder`,
      [names],
    );
    expect(holders.rows).toEqual([{ holder: 'first', sessions: 1, leases: 40 }]);

    // The first process's connection ends (as when it dies): every lease it held is lost at once,
    // and the second takes all of them.
    const [firstSession] = (
      await db.pool.query<{ backend_pid: number }>(
        'SELECT DISTINCT backend_pid FROM subscription_leases WHERE subscription_id = ANY($1)',
        [names],
      )
    ).rows;
    await db.pool.query('SELECT pg_terminate_backend($1)', [firstSession!.backend_pid]);
    await Promise.all(held.map((lease) => lease.lost));
    expect(held.some((lease) => lease.isHeld())).toBe(false);
    await waitFor(() => taken === names.length, 10_000, 'the second process to take every lease');
    const after = await db.pool.query<{ holder: string; leases: number }>(
      `SELECT holder, count(*)::int AS leases FROM subscription_leases
        WHERE subscription_id = ANY($1) GROUP BY holder`,
      [names],
    );
    expect(after.rows).toEqual([{ holder: 'second', leases: 40 }]);
    await Promise.all([...held, ...waiting].map((lease) => lease.release()));
  });

  it('gives a lease back on release, and forgets its row', async () => {
    const leases = open();
    const name = `group-${newId()}`;
    const lease = leases.acquire(name, 'holder');
    await lease.acquired;
    await lease.release();
    const rows = await db.pool.query('SELECT 1 FROM subscription_leases WHERE subscription_id = $1', [name]);
    expect(rows.rowCount).toBe(0);
    const next = open().acquire(name, 'next');
    await next.acquired;
    await next.release();
  });

  it('shares the work: three instances hold a fair share each, and two share it when one ends', async () => {
    const names = Array.from({ length: 30 }, (_, index) => `shared-${index}-${newId()}`);
    // Each instance consumes as a subscription runner does: a lease lost or asked back is released
    // and waited for again.
    const instance = (label: string) => {
      const leases = open();
      const held = new Set<string>();
      let stopped = false;
      const consume = async (name: string) => {
        while (!stopped) {
          const lease = leases.acquire(name, label);
          try {
            await lease.acquired;
          } catch {
            return;
          }
          held.add(name);
          await lease.lost;
          held.delete(name);
          await lease.release();
        }
      };
      for (const name of names) void consume(name);
      return {
        held,
        async stop() {
          stopped = true;
          await leases.close();
        },
      };
    };
    const instances = [instance('a'), instance('b'), instance('c')];
    const spread = () => instances.map((each) => each.held.size);
    await waitFor(() => spread().every((n) => n === 10), 20_000, 'ten leases each').catch((error) => {
      throw new Error(`${error.message}: ${spread().join(', ')}`);
    });
    const everyName = instances.flatMap((each) => [...each.held]);
    expect(new Set(everyName).size).toBe(30);

    await instances[2]!.stop();
    instances.pop();
    await waitFor(() => spread().every((n) => n === 15), 20_000, 'fifteen leases each');
    expect(new Set(instances.flatMap((each) => [...each.held])).size).toBe(30);
    await Promise.all(instances.map((each) => each.stop()));
  });
});
