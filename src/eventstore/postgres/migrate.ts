import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../platform/paths.js';
import type { SqlClient, SqlPool } from '../../platform/sql.js';

export const MIGRATIONS_DIR = join(projectRoot, 'migrations');

const MIGRATION_LOCK = 7_240_001;

export type MigrateOptions = {
  /** Runs under the same lock once the files are applied (the app role's grants). */
  afterMigrations?: (client: SqlClient) => Promise<void>;
};

/** Applies the numbered SQL files not yet applied, each in its own transaction, one migrator at a time. */
export const migrate = async (
  pool: SqlPool,
  dir = MIGRATIONS_DIR,
  options: MigrateOptions = {},
): Promise<string[]> => {
  const files = (await readdir(dir)).filter((name) => /^\d+_.+\.sql$/.test(name)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const file of files) {
      const version = Number.parseInt(file, 10);
      if (done.has(version)) continue;
      const sql = await readFile(join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    await options.afterMigrations?.(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
};
