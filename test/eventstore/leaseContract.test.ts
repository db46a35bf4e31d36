import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leases } from '../../src/eventstore/leases.js';
import { createMemoryLeases } from '../../src/eventstore/memory/memoryLeases.js';
import { createPostgresLeases } from '../../src/eventstore/postgres/lease.js';
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
      return {
        leases: createPostgresLeases({ connectionString: db.connectionString }),
        close: () => db.drop(),
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
