import pg from 'pg';

export type LeaseOptions = {
  connectionString: string;
  subscriptionId: string;
  /** Names this instance in `subscription_leases`, for people looking at who holds what. */
  holder: string;
  heartbeatMs?: number;
  /** A holder whose heartbeat is older than this is presumed hung and its session is ended. */
  staleAfterMs?: number;
  log?: (line: string) => void;
};

export type Lease = {
  /** Resolves once this instance holds the lease; rejects if `release` is called first. */
  acquired: Promise<void>;
  /** True while the lease is held. */
  isHeld(): boolean;
  /** Resolves when a held lease is lost (connection gone); the holder must stop consuming. */
  lost: Promise<void>;
  release(): Promise<void>;
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
  const log = options.log ?? (() => {});
  const client = new pg.Client({
    connectionString: options.connectionString,
    application_name: 'pharmacy-lease',
  });
  let held = false;
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  let markLost: () => void = () => {};
  const lost = new Promise<void>((resolve) => {
    markLost = resolve;
  });

  const loseLease = (reason: string) => {
    if (!held) return;
    held = false;
    log(`lease ${options.subscriptionId} lost: ${reason}`);
    if (timer) clearInterval(timer);
    markLost();
  };
  client.on('error', (error) => loseLease(error.message));

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

  const acquired = (async () => {
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
        timer = setInterval(heartbeat, heartbeatMs);
        timer.unref();
        return;
      }
      await endStaleHolder();
      await new Promise((resolve) => setTimeout(resolve, Math.min(heartbeatMs, 500)));
    }
    throw new Error(`lease ${options.subscriptionId} released before it was acquired`);
  })();
  acquired.catch(() => {});

  return {
    acquired,
    lost,
    isHeld: () => held,
    async release() {
      released = true;
      if (timer) clearInterval(timer);
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
