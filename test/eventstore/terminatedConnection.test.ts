import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/eventstore/postgres/database.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { waitFor } from '../support/events.js';

let db: TestDatabase;
let pool: SqlPool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.connectionString, { poolSize: 2 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('a connection the server ends while it is checked out', () => {
  it('fails its next statement and leaves the process running, and the pool hands out a live one', async () => {
    const crashes: unknown[] = [];
    const onUncaught = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      // Held between two statements of a transaction, as a projection's batch holds it, when a DBA
      // (or the server stopping, or the idle-in-transaction timeout) ends the session.
      const client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await waitFor(
        async () =>
          (await db.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [rows[0]!.pid])).rowCount ===
          0,
        5_000,
        'the session ended',
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // the FATAL message has arrived
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      expect(crashes).toEqual([]);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
