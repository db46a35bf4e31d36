import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { isWrongExpectedRevision } from '../eventstore/errors.js';
import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { newUuid } from '../platform/ids.js';

/**
 * Keys prescriber systems present at intake. Each has a name (it becomes the actor of what it sends
 * in, `intake:<name>`), is stored only as a hash, and can be revoked; issuing and revoking are
 * events in the key's own stream. The table is what intake checks against on every request.
 */
export const INTAKE_KEY_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type IntakeKeySummary = {
  name: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export class IntakeKeyError extends Error {
  constructor(readonly reason: 'name_taken' | 'not_found' | 'invalid_name') {
    super(reason);
  }
}

export const hashIntakeKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const generateIntakeKey = () => randomBytes(32).toString('base64url');

export const intakeKeys = (deps: { pool: pg.Pool; store: EventStore; clock: Clock }) => {
  const { pool, store, clock } = deps;

  const record = (
    name: string,
    type: string,
    data: Record<string, unknown>,
    actor: string,
    revision: 'no_stream' | 'stream_exists',
  ) =>
    store.appendToStream(
      `intakekey-${name}`,
      [
        {
          id: newUuid(),
          type,
          data: { name, ...data },
          metadata: {
            correlationId: `intakekey-${name}`,
            causationId: null,
            actor,
            occurredAt: clock.now().toISOString(),
          },
        },
      ],
      { expectedRevision: revision },
    );

  /** Registers `key` under `name`; a name is used once, ever (so the trail never mixes two keys). */
  const register = async (name: string, key: string, actor: string): Promise<void> => {
    if (!INTAKE_KEY_NAME.test(name)) throw new IntakeKeyError('invalid_name');
    const keyHash = hashIntakeKey(key);
    try {
      await record(name, 'IntakeKeyIssued', { keyHash }, actor, 'no_stream');
    } catch (error) {
      if (isWrongExpectedRevision(error)) throw new IntakeKeyError('name_taken');
      throw error;
    }
    await pool.query(
      `INSERT INTO intake_keys (name, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [name, keyHash, clock.now(), actor],
    );
  };

  return {
    register,

    /** A new key under `name`, returned once: only its hash is kept. */
    async issue(name: string, actor: string): Promise<string> {
      const key = generateIntakeKey();
      await register(name, key, actor);
      return key;
    },

    async revoke(name: string, reason: string, actor: string): Promise<void> {
      const { rowCount } = await pool.query(
        'UPDATE intake_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL',
        [name, clock.now()],
      );
      if (rowCount === 0) {
        const exists = await pool.query('SELECT 1 FROM intake_keys WHERE name = $1', [name]);
        if (exists.rowCount === 0) throw new IntakeKeyError('not_found');
        return;
      }
      await record(name, 'IntakeKeyRevoked', { reason }, actor, 'stream_exists');
    },

    /**
     * The name of the live key `presented` is, or null. The hash is the lookup: no key is compared.
     * `last_used_at` moves at most once a minute, so most requests read and commit nothing.
     */
    async verify(presented: string | undefined): Promise<string | null> {
      if (!presented || presented.length > 200) return null;
      const { rows } = await pool.query<{ name: string }>({
        name: 'verify-intake-key',
        text: `WITH live AS (
                 SELECT name, last_used_at FROM intake_keys WHERE key_hash = $1 AND revoked_at IS NULL
               ), touched AS (
                 UPDATE intake_keys k SET last_used_at = $2::timestamptz FROM live
                  WHERE k.name = live.name AND (live.last_used_at IS NULL OR live.last_used_at < $2::timestamptz - interval '1 minute')
               )
               SELECT name FROM live`,
        values: [hashIntakeKey(presented), clock.now()],
      });
      return rows[0]?.name ?? null;
    },

    async list(): Promise<IntakeKeySummary[]> {
      const { rows } = await pool.query<{
        name: string;
        created_at: Date;
        created_by: string;
        revoked_at: Date | null;
        last_used_at: Date | null;
      }>(
        'SELECT name, created_at, created_by, revoked_at, last_used_at FROM intake_keys ORDER BY created_at',
      );
      return rows.map((r) => ({
        name: r.name,
        createdAt: r.created_at.toISOString(),
        createdBy: r.created_by,
        revokedAt: r.revoked_at?.toISOString() ?? null,
        lastUsedAt: r.last_used_at?.toISOString() ?? null,
      }));
    },

    /**
     * At start: INTAKE_API_KEY, when set, is registered as `environment` (once: revoking it sticks);
     * with no key set and none live, one is generated as `default` and returned to be shown once.
     */
    async ensureStartingKey(
      configured: string | undefined,
    ): Promise<{ key: string | null; generated: boolean }> {
      if (configured) {
        const known = await pool.query('SELECT 1 FROM intake_keys WHERE key_hash = $1', [
          hashIntakeKey(configured),
        ]);
        if (known.rowCount === 0) {
          const taken = await pool.query("SELECT 1 FROM intake_keys WHERE name = 'environment'");
          const name = taken.rowCount === 0 ? 'environment' : `environment-${clock.now().getTime()}`;
          await register(name, configured, 'system:configuration').catch((error: unknown) => {
            if (!(error instanceof IntakeKeyError)) throw error;
          });
        }
        return { key: configured, generated: false };
      }
      const live = await pool.query('SELECT 1 FROM intake_keys WHERE revoked_at IS NULL LIMIT 1');
      if (live.rowCount) return { key: null, generated: false };
      const key = generateIntakeKey();
      try {
        await register('default', key, 'system:bootstrap');
      } catch (error) {
        // Another process starting at the same moment registered it: theirs stands.
        if (error instanceof IntakeKeyError) return { key: null, generated: false };
        throw error;
      }
      return { key, generated: true };
    },
  };
};

export type IntakeKeys = ReturnType<typeof intakeKeys>;
