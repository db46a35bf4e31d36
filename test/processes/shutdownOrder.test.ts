import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { ProcessManager } from '../../src/processes/runtime.js';
import type { Projection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Seen as a close that hung for minutes under load (a test's afterAll timed out): a process manager
// was waiting for a read model to catch up while the platform stopped that read model's consumer
// alongside it, so the wait could never end; it failed after 30 s, was retried, and would have been
// parked. A shutdown lets process managers finish with their read models still running.

let db: TestDatabase | undefined;
let platform: Platform | undefined;
afterAll(async () => {
  await platform?.close();
  await db?.drop();
});

const event = (type: string) => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    correlationId: 'c',
    causationId: null,
    actor: 'system:test',
    occurredAt: new Date().toISOString(),
  },
});

describe('stopping the platform', () => {
  it('lets a process manager waiting for a read model finish, and parks nothing', async () => {
    db = await createTestDatabase();
    platform = await openPlatform({
      databaseUrl: db.connectionString,
      log: silentLogger,
      pollIntervalMs: 50,
    });
    const category = `shut${newId().slice(-6).toLowerCase()}`;

    // A read model whose first batch is held until the test lets it through.
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let firstBatchSeen: () => void = () => {};
    const firstBatch = new Promise<void>((resolve) => {
      firstBatchSeen = resolve;
    });
    const slowModel: Projection = {
      name: `slow-${category}`,
      filter: { kind: 'categories', categories: [category] },
      tables: [],
      async applyBatch() {
        firstBatchSeen();
        await gate;
      },
    };
    const handled: string[] = [];
    let waiting: () => void = () => {};
    const managerWaits = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const manager: ProcessManager = {
      name: `waits-${category}`,
      filter: { kind: 'eventTypes', eventTypes: ['NeedsTheReadModel'] },
      async handle(e: RecordedEvent, context) {
        waiting();
        await context.readModelCaughtUp(slowModel);
        handled.push(e.id);
      },
    };
    platform.run({ projections: [slowModel], processes: [manager] });

    // The read model takes the first event and is held; the second arrives behind it.
    await platform.store.appendToStream(`${category}-1`, [event('Earlier')]);
    await firstBatch;
    const needs = event('NeedsTheReadModel');
    await platform.store.appendToStream(`${category}-2`, [needs]);
    await managerWaits;

    // Shut down while the process manager waits; the held batch goes through a moment later.
    const closing = platform.close();
    setTimeout(openGate, 200);
    await closing;
    platform = undefined;

    expect(handled).toEqual([needs.id]);
    const { rows: parked } = await db.pool.query('SELECT event_id FROM parked_events');
    expect(parked).toEqual([]);
    const { rows: failures } = await db.pool.query(
      "SELECT 1 FROM events WHERE event_type IN ('IntegrationCallFailed', 'IntegrationFlaggedForManualHandling')",
    );
    expect(failures).toEqual([]);
  }, 60_000);
});
