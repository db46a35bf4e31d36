import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../src/eventstore/postgres/database.js';
import { migrate } from '../../src/eventstore/postgres/migrate.js';
import { newId } from '../../src/platform/ids.js';
import type { SqlPool } from '../../src/platform/sql.js';

export type TestDatabase = { pool: SqlPool; connectionString: string; drop(): Promise<void> };

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/** A fresh, migrated database per test file, so subscriptions see only the file's own events. */
export const createTestDatabase = async (migrations: { dir?: string } = {}): Promise<TestDatabase> => {
  const baseUrl = inject('databaseUrl');
  const name = `t_${newId().toLowerCase()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const connectionString = withDatabase(baseUrl, name);
  const pool = createPool(connectionString, { poolSize: 20 });
  await migrate(pool, migrations.dir);
  return {
    pool,
    connectionString,
    async drop() {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
};
