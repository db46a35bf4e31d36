import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { MAX_PREPARED, preparedNameOf } from '../../src/eventstore/postgres/preparedStatements.js';
import type { SqlClient } from '../../src/platform/sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';

// What the server holds prepared for the session of the connection asked.
const prepared = async (client: SqlClient) =>
  (await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map(
    (row) => row.statement,
  );

describe('statements prepared once per connection', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('prepares a parameterised statement on its first call and only executes it after', async () => {
    const client = await db.pool.connect();
    try {
      const store = createPostgresEventStore(client);
      await store.appendToStream('order-prep1', [anEvent('OrderNoted')], { expectedRevision: 'no_stream' });
      await store.readStream('order-prep1');
      const once = await prepared(client);
      expect(once.some((text) => text.includes('FROM events e WHERE e.stream_name = $1'))).toBe(true);

      const [before] = (
        await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')
      ).rows;
      const events = await store.readStream('order-prep1');
      expect(events).toHaveLength(1);
      const [after] = (
        await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')
      ).rows;
      expect(after!.n).toBe(before!.n);
    } finally {
      client.release();
    }
  });

  it('sends transaction control, statements without parameters and named ones as they came', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 AS one');
      await client.query({ name: 'chosen-by-caller', text: 'SELECT $1::int AS n', values: [2] });
      await client.query('COMMIT');
      const texts = await prepared(client);
      expect(texts.filter((text) => text === 'SELECT 1 AS one')).toEqual([]);
      const names = (
        await client.query<{ name: string }>(
          "SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT $1::int AS n'",
        )
      ).rows.map((row) => row.name);
      expect(names).toEqual(['chosen-by-caller']);
    } finally {
      client.release();
    }
  });

  it('gives the same text the same name and stops naming new texts past its cap', () => {
    const text = 'SELECT $1::text AS same';
    expect(preparedNameOf(text)).toBe(preparedNameOf(text));
    expect(preparedNameOf('CREATE TABLE t (x int)')).toBeNull();
    for (let index = 0; index < MAX_PREPARED; index++) preparedNameOf(`SELECT $1::int + ${index} AS filler`);
    expect(preparedNameOf('SELECT $1::text AS new_past_the_cap')).toBeNull();
    expect(preparedNameOf(text)).not.toBeNull();
  });
});
