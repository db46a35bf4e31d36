import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/**
 * A server secret: from the environment in production; in development generated once and kept in
 * the database so links e-mailed before a restart still work after it.
 */
export const loadSecret = async (
  pool: pg.Pool,
  name: string,
  configured: string | undefined,
): Promise<string> => {
  if (configured) return configured;
  await pool.query(
    'INSERT INTO platform_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [name, randomBytes(32).toString('base64url')],
  );
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM platform_secrets WHERE name = $1', [
    name,
  ]);
  return rows[0]!.value;
};
