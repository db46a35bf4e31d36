import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { newId } from '../../src/platform/ids.js';
import type { Projection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { events } from '../support/events.js';
import { rebuildOnPostgres } from '../support/rebuild.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query('CREATE TABLE probe_rows (event_id text PRIMARY KEY)');
  const store = createPostgresEventStore(db.pool);
  // Seven events the projection reads, among twelve it does not.
  for (let i = 0; i < 7; i++) await store.appendToStream(`order-${newId()}`, events(1));
  for (let i = 0; i < 4; i++) await store.appendToStream(`staff-${newId()}`, events(3));
});
afterAll(() => db.drop());

const orderProbe: Projection = {
  name: 'probe',
  filter: { kind: 'categories', categories: ['order'] },
  tables: ['probe_rows'],
  applyBatch: async (client, batch) => {
    for (const event of batch) await client.query('INSERT INTO probe_rows VALUES ($1)', [event.id]);
  },
};

describe('rebuild progress', () => {
  it('given a projection that reads one category, when rebuilt, then the bar counts only the events it will process', async () => {
    const seen: { total?: number; updates: number[]; stopped: boolean } = { updates: [], stopped: false };
    const report = await rebuildOnPostgres(db, orderProbe, {
      batchSize: 3,
      progress: {
        start: (total) => {
          seen.total = total;
        },
        update: (done) => seen.updates.push(done),
        stop: () => {
          seen.stopped = true;
        },
      },
    });
    expect(report.events).toBe(7);
    expect(seen).toEqual({ total: 7, updates: [3, 6, 7], stopped: true });
  });
});
