import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

export type IntakeKeyRow = {
  name: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

/** The intake keys table: names and SHA-256 hashes of the keys senders present, never the keys. */
export const intakeKeyTable = (db: Db) => ({
  async insert(name: string, keyHash: string, at: Date, actor: string): Promise<void> {
    await db.query(
      `INSERT INTO intake_keys (name, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [name, keyHash, at, actor],
    );
  },

  /** Revokes the live key of that name; false when there is none (unknown, or revoked already). */
  async revoke(name: string, at: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      'UPDATE intake_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL',
      [name, at],
    );
    return (rowCount ?? 0) > 0;
  },

  async nameExists(name: string): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM intake_keys WHERE name = $1', [name]);
    return (rowCount ?? 0) > 0;
  },

  async hashKnown(keyHash: string): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM intake_keys WHERE key_hash = $1', [keyHash]);
    return (rowCount ?? 0) > 0;
  },

  async anyLive(): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM intake_keys WHERE revoked_at IS NULL LIMIT 1');
    return (rowCount ?? 0) > 0;
  },

  /**
   * The name of the live key with this hash, or null. `last_used_at` moves at most once a minute,
   * so most requests read and commit nothing.
   */
  async liveName(keyHash: string, at: Date): Promise<string | null> {
    const { rows } = await db.query<{ name: string }>({
      name: 'verify-intake-key',
      text: `WITH live AS (
               SELECT name, last_used_at FROM intake_keys WHERE key_hash = $1 AND revoked_at IS NULL
             ), touched AS (
               UPDATE intake_keys k SET last_used_at = $2::timestamptz FROM live
                WHERE k.name = live.name AND (live.last_used_at IS NULL OR live.last_used_at < $2::timestamptz - interval '1 minute')
             )
             SELECT name FROM live`,
      values: [keyHash, at],
    });
    return rows[0]?.name ?? null;
  },

  async list(): Promise<IntakeKeyRow[]> {
    const { rows } = await db.query<{
      name: string;
      created_at: Date;
      created_by: string;
      revoked_at: Date | null;
      last_used_at: Date | null;
    }>('SELECT name, created_at, created_by, revoked_at, last_used_at FROM intake_keys ORDER BY created_at');
    return rows.map((r) => ({
      name: r.name,
      createdAt: r.created_at,
      createdBy: r.created_by,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
    }));
  },
});
