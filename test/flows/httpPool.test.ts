import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let platform: Platform;
beforeAll(async () => {
  db = await createTestDatabase();
  platform = await openPlatform({
    databaseUrl: db.connectionString,
    log: silentLogger,
    poolSize: 2,
    httpPoolSize: 2,
  });
});
afterAll(async () => {
  await platform?.close();
  await db?.drop();
});

describe('requests and consumers use separate pools', () => {
  it("given every connection of the consumers' pool taken, when a request appends and reads, then it is answered on its own pool", async () => {
    const held = await Promise.all([platform.db.pool.connect(), platform.db.pool.connect()]);
    try {
      expect((platform.db.pool as pg.Pool).totalCount).toBe(2);
      const appended = await platform.http.store.appendToStream(
        'order-HTTPPOOL0000000000000001',
        [
          {
            id: '0b6d3c52-1111-4c3b-9a55-2b1f6d3e8a01',
            type: 'Probe',
            data: {},
            metadata: {
              correlationId: 'probe',
              causationId: null,
              actor: 'test',
              occurredAt: new Date().toISOString(),
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      expect(appended.written).toBe(true);
      const { rows } = await platform.http.pool.query<{ name: string }>(
        "SELECT current_setting('application_name') AS name",
      );
      expect(rows[0]!.name).toBe('pharmacy-http');
      expect((platform.db.pool as pg.Pool).waitingCount).toBe(0);
    } finally {
      for (const client of held) client.release();
    }
  });
});
