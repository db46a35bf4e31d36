import { createHash, randomBytes } from 'node:crypto';
import { isWrongExpectedRevision } from '../eventstore/errors.js';
import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { newUuid } from '../platform/ids.js';
import type { SqlPool } from '../platform/sql.js';
import { intakeKeyTable } from '../stores/intakeKeys.js';

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

export const intakeKeys = (deps: { pool: SqlPool; store: EventStore; clock: Clock }) => {
  const { store, clock } = deps;
  const table = intakeKeyTable(deps.pool);

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
    await table.insert(name, keyHash, clock.now(), actor);
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
      if (!(await table.revoke(name, clock.now()))) {
        if (!(await table.nameExists(name))) throw new IntakeKeyError('not_found');
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
      return table.liveName(hashIntakeKey(presented), clock.now());
    },

    async list(): Promise<IntakeKeySummary[]> {
      return (await table.list()).map((r) => ({
        name: r.name,
        createdAt: r.createdAt.toISOString(),
        createdBy: r.createdBy,
        revokedAt: r.revokedAt?.toISOString() ?? null,
        lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
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
        if (!(await table.hashKnown(hashIntakeKey(configured)))) {
          const taken = await table.nameExists('environment');
          const name = taken ? `environment-${clock.now().getTime()}` : 'environment';
          await register(name, configured, 'system:configuration').catch((error: unknown) => {
            if (!(error instanceof IntakeKeyError)) throw error;
          });
        }
        return { key: configured, generated: false };
      }
      if (await table.anyLive()) return { key: null, generated: false };
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
