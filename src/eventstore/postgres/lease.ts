import pg from 'pg';
import { type Logger, silentLogger } from '../../platform/logger.js';
import type { Lease, Leases } from '../leases.js';

export type { Lease } from '../leases.js';

export type LeaseOptions = {
  connectionString: string;
  subscriptionId: string;
  /** Names this instance in `subscription_leases`, for people looking at who holds what. */
  holder: string;
  heartbeatMs?: number;
  /** A holder whose heartbeat is older than this is presumed hung and its session is ended. */
  staleAfterMs?: number;
  log?: Logger;
  /** The process's shared heartbeat; without one, this lease heartbeats on its own connection. */
  heartbeat?: LeaseHeartbeat;
};

/**
 * One heartbeat for every lease a process holds: a single UPDATE per interval instead of one per
 * lease. A hung process stops it for all its leases at once, which is what contenders look for.
 */
export type LeaseHeartbeat = {
  /** Starts beating for `subscriptionId` under `holder`; returns a function that stops it. */
  add(subscriptionId: string, holder: string): () => void;
  stop(): void;
};

export const createLeaseHeartbeat = (
  pool: Pick<pg.Pool, 'query'>,
  options: { intervalMs?: number; log?: Logger } = {},
): LeaseHeartbeat => {
  const held = new Map<string, string>();
  let beating = false;
  const beat = async () => {
    if (held.size === 0 || beating) return;
    beating = true;
    try {
      await pool.query(
        `UPDATE subscription_leases l SET heartbeat_at = now()
           FROM unnest($1::text[], $2::text[]) AS h(subscription_id, holder)
          WHERE l.subscription_id = h.subscription_id AND l.holder = h.holder`,
        [[...held.keys()], [...held.values()]],
      );
    } catch (error) {
      options.log?.warn({ err: error }, 'lease heartbeat failed');
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void beat(), options.intervalMs ?? 1_000);
  timer.unref();
  return {
    add(subscriptionId, holder) {
      held.set(subscriptionId, holder);
      return () => {
        if (held.get(subscriptionId) === holder) held.delete(subscriptionId);
      };
    },
    stop: () => clearInterval(timer),
  };
};

const lockKey = (subscriptionId: string) => `subscription:${subscriptionId}`;

/**
 * One active consumer per subscription group across processes. The truth is a session-level
 * advisory lock held on a dedicated connection: when the holding process dies its connection closes
 * and PostgreSQL frees the lock at once. A holder that hangs without dying stops heartbeating; after
 * `staleAfterMs` a contender ends its session, which frees the lock too.
 */
export const acquireLease = (options: LeaseOptions): Lease => {
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const log = options.log ?? silentLogger;
  const client = new pg.Client({
    connectionString: options.connectionString,
    application_name: 'pharmacy-lease',
    keepAlive: true,
  });
  let held = false;
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  let stopBeating: () => void = () => {};
  let markLost: () => void = () => {};
  const lost = new Promise<void>((resolve) => {
    markLost = resolve;
  });

  const loseLease = (reason: string) => {
    // A lease given back on purpose is not lost, whatever its connection reports as it closes.
    if (!held || released) return;
    held = false;
    log.warn({ subscription: options.subscriptionId, reason }, `lease ${options.subscriptionId} lost`);
    if (timer) clearInterval(timer);
    stopBeating();
    markLost();
  };
  // The lock lives and dies with this connection: an error or its end is the lease's end, whether
  // or not a heartbeat of its own would have noticed.
  client.on('error', (error) => loseLease(error.message));
  client.on('end', () => loseLease('connection ended'));

  const tryLock = async (): Promise<boolean> => {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [lockKey(options.subscriptionId)],
    );
    return rows[0]!.locked;
  };

  const endStaleHolder = async () => {
    await client.query(
      `SELECT pg_terminate_backend(backend_pid) FROM subscription_leases
        WHERE subscription_id = $1 AND heartbeat_at < now() - make_interval(secs => $2::float8 / 1000)`,
      [options.subscriptionId, staleAfterMs],
    );
  };

  const heartbeat = async () => {
    try {
      await client.query(
        'UPDATE subscription_leases SET heartbeat_at = now() WHERE subscription_id = $1 AND holder = $2',
        [options.subscriptionId, options.holder],
      );
    } catch (error) {
      loseLease((error as Error).message);
    }
  };

  // Released while still connecting or waiting: `acquired` says so at once, whatever the
  // connection does as it closes (a client ended mid-connect never settles its connect).
  let refuse: () => void = () => {};
  const releasedFirst = new Promise<never>((_, reject) => {
    refuse = () => reject(new Error(`lease ${options.subscriptionId} released before it was acquired`));
  });
  const waiting = (async () => {
    await client.connect();
    while (!released) {
      if (await tryLock()) {
        await client.query(
          `INSERT INTO subscription_leases (subscription_id, holder, backend_pid, acquired_at, heartbeat_at)
           VALUES ($1, $2, pg_backend_pid(), now(), now())
           ON CONFLICT (subscription_id) DO UPDATE
              SET holder = EXCLUDED.holder, backend_pid = EXCLUDED.backend_pid,
                  acquired_at = EXCLUDED.acquired_at, heartbeat_at = EXCLUDED.heartbeat_at`,
          [options.subscriptionId, options.holder],
        );
        held = true;
        if (options.heartbeat) {
          stopBeating = options.heartbeat.add(options.subscriptionId, options.holder);
        } else {
          timer = setInterval(heartbeat, heartbeatMs);
          timer.unref();
        }
        return;
      }
      await endStaleHolder();
      await new Promise((resolve) => setTimeout(resolve, Math.min(heartbeatMs, 500)));
    }
    throw new Error(`lease ${options.subscriptionId} released before it was acquired`);
  })();
  waiting.catch(() => {});
  const acquired = Promise.race([waiting, releasedFirst]);
  acquired.catch(() => {});

  return {
    acquired,
    lost,
    isHeld: () => held,
    async release() {
      released = true;
      refuse();
      if (timer) clearInterval(timer);
      stopBeating();
      if (held) {
        held = false;
        await client
          .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(options.subscriptionId)])
          .catch(() => {});
      }
      await client.end().catch(() => {});
    },
  };
};

/** The lease port over PostgreSQL advisory locks: every lease on its own connection. */
export const createPostgresLeases = (options: Omit<LeaseOptions, 'subscriptionId' | 'holder'>): Leases => ({
  acquire: (name, holder) => acquireLease({ ...options, subscriptionId: name, holder }),
});
