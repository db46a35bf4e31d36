import pg from 'pg';
import { type Logger, silentLogger } from '../../platform/logger.js';
import type { Leases } from '../leases.js';

export type { Lease } from '../leases.js';

export type PostgresLeaseOptions = {
  connectionString: string;
  /** How often held leases prove their holder alive (one UPDATE for all of them). */
  heartbeatMs?: number;
  /** A holder whose heartbeat is older than this is presumed hung and its session is ended. */
  staleAfterMs?: number;
  /**
   * Names the lease session. Instances under the same name share the work: each aims for its fair
   * share of the leases. A one-off tool (a rebuild) takes another name so it is not counted.
   */
  applicationName?: string;
  log?: Logger;
};

/** The lease port over PostgreSQL, plus the one connection it holds, to close at shutdown. */
export type PostgresLeases = Leases & { close(): Promise<void> };

type Claim = {
  name: string;
  holder: string;
  /** `yielding`: asked back to share the work; still locked until its holder releases it. */
  state: 'waiting' | 'held' | 'yielding' | 'ended';
  take(): void;
  refuse(error: Error): void;
  lose(): void;
};

const lockKey = (name: string) => `subscription:${name}`;
/** An instance at its fair share still looks for free leases every this many ticks (none stay unheld). */
const AT_SHARE_EVERY = 4;

const shuffled = <T>(items: T[]) => {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
};

/**
 * One active consumer per subscription group across processes. The truth is a session-level
 * advisory lock; every lease of a process lives on **one** connection (a process used to hold a
 * connection per subscription, ~65 of them, so three instances exhausted a default server). When
 * the process dies its connection closes and PostgreSQL frees all its locks at once. A process that
 * hangs without dying stops heartbeating; after `staleAfterMs` a contender ends its session, which
 * frees its locks too.
 *
 * One loop does the work for every lease of the process. Each tick heartbeats the held leases and
 * counts the instances (lease sessions under the same application name), tries the wanted locks in
 * one statement, records the ones won and ends stale holders of the ones refused. Instances share
 * the work: each keeps at most its fair share (its wanted groups ÷ instances, rounded up), asks
 * back what it holds beyond that when another instance arrives, and an instance at its share still
 * takes a free lease now and then, so a group is never left without a consumer. Advisory locks are
 * re-entrant within a session, so a name held here is not tried again until released.
 */
export const createPostgresLeases = (options: PostgresLeaseOptions): PostgresLeases => {
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const applicationName = options.applicationName ?? 'pharmacy-leases';
  const log = options.log ?? silentLogger;
  const claims: Claim[] = [];
  let client: pg.Client | undefined;
  let closed = false;
  let ticking: Promise<void> | undefined;
  let tickAgain = false;
  let ticks = 0;
  let lastBeat = 0;
  let instances = 1;
  // One connection runs one statement at a time: the loop's ticks and releases take turns.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work, work);
    turn = next.catch(() => {});
    return next;
  };

  const locked = (claim: Claim) => claim.state === 'held' || claim.state === 'yielding';
  const end = (claim: Claim) => {
    claim.state = 'ended';
    const index = claims.indexOf(claim);
    if (index >= 0) claims.splice(index, 1);
  };

  // The locks live and die with the connection: its end is the end of every lease it held.
  const dropConnection = (dropped: pg.Client, reason: string) => {
    if (client !== dropped) return;
    client = undefined;
    dropped.end().catch(() => {});
    for (const claim of claims.filter(locked)) {
      log.warn({ subscription: claim.name, reason }, `lease ${claim.name} lost`);
      end(claim);
      claim.lose();
    }
  };

  const connection = async (): Promise<pg.Client> => {
    if (client) return client;
    const fresh = new pg.Client({
      connectionString: options.connectionString,
      application_name: applicationName,
      keepAlive: true,
    });
    fresh.on('error', (error) => dropConnection(fresh, error.message));
    fresh.on('end', () => dropConnection(fresh, 'connection ended'));
    try {
      await fresh.connect();
    } catch (error) {
      fresh.end().catch(() => {});
      throw error;
    }
    client = fresh;
    lastBeat = 0;
    return fresh;
  };

  /** Heartbeats the held leases and counts the instances sharing the work, in one statement. */
  const heartbeat = async (db: pg.Client) => {
    if (Date.now() - lastBeat < heartbeatMs) return;
    lastBeat = Date.now();
    const held = claims.filter(locked);
    const { rows } = await db.query<{ instances: number }>(
      `WITH beat AS (
         UPDATE subscription_leases l SET heartbeat_at = now()
           FROM unnest($1::text[], $2::text[]) AS h(name, holder)
          WHERE l.subscription_id = h.name AND l.holder = h.holder AND l.backend_pid = pg_backend_pid()
       )
       SELECT count(*)::int AS instances FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $3`,
      [held.map((claim) => claim.name), held.map((claim) => claim.holder), applicationName],
    );
    instances = Math.max(1, rows[0]!.instances);
  };

  const fairShare = () => Math.ceil(new Set(claims.map((claim) => claim.name)).size / instances);

  /** Asks back what this instance holds beyond its fair share, so that a newcomer gets work. */
  const yieldExtra = () => {
    const held = claims.filter((claim) => claim.state === 'held');
    const extra = claims.filter(locked).length - fairShare();
    for (const claim of shuffled(held).slice(0, Math.max(0, extra))) {
      claim.state = 'yielding';
      claim.lose();
    }
  };

  const contend = async (db: pg.Client) => {
    const heldHere = new Set(claims.filter(locked).map((claim) => claim.name));
    const wanted = [
      ...new Set(claims.filter((c) => c.state === 'waiting' && !heldHere.has(c.name)).map((c) => c.name)),
    ];
    if (wanted.length === 0) return;
    const room = fairShare() - heldHere.size;
    if (room <= 0 && ticks % AT_SHARE_EVERY !== 0) return;
    const wants = Math.max(1, room);
    const { rows } = await db.query<{ name: string; locked: boolean }>(
      `SELECT name, pg_try_advisory_lock(hashtextextended('subscription:' || name, 0)) AS locked
         FROM unnest($1::text[]) AS name`,
      [shuffled(wanted)],
    );
    const won = rows.filter((row) => row.locked).map((row) => row.name);
    const refused = rows.filter((row) => !row.locked).map((row) => row.name);
    // Won beyond this instance's share: given back at once, before anything consumed under them.
    for (const name of won.slice(wants)) await unlock(db, name);
    const kept = won.slice(0, wants);
    const winners = kept.map((name) =>
      claims.find((claim) => claim.name === name && claim.state === 'waiting'),
    );
    if (kept.length > 0) {
      await db.query(
        `INSERT INTO subscription_leases (subscription_id, holder, backend_pid, acquired_at, heartbeat_at)
         SELECT w.name, w.holder, pg_backend_pid(), now(), now()
           FROM unnest($1::text[], $2::text[]) AS w(name, holder)
         ON CONFLICT (subscription_id) DO UPDATE
            SET holder = EXCLUDED.holder, backend_pid = EXCLUDED.backend_pid,
                acquired_at = EXCLUDED.acquired_at, heartbeat_at = EXCLUDED.heartbeat_at`,
        [kept, winners.map((claim) => claim?.holder ?? 'released')],
      );
    }
    for (const [index, name] of kept.entries()) {
      const claim = winners[index];
      // Released while its lock was being won: give the lock back rather than hold it for no one.
      if (claim?.state !== 'waiting') {
        await giveBack(db, name);
        continue;
      }
      claim.state = 'held';
      claim.take();
    }
    if (refused.length > 0) {
      // A holder that stopped heartbeating is hung: ending its session frees its locks. Never our
      // own session (a row this process left behind must not end the process's own leases).
      await db.query(
        `SELECT pg_terminate_backend(backend_pid) FROM subscription_leases
          WHERE subscription_id = ANY($1::text[])
            AND heartbeat_at < now() - make_interval(secs => $2::float8 / 1000)
            AND backend_pid <> pg_backend_pid()`,
        [refused, staleAfterMs],
      );
    }
  };

  const unlock = (db: pg.Client, name: string) =>
    db.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(name)]);

  const giveBack = async (db: pg.Client, name: string) => {
    await db.query(
      `WITH gone AS (
         DELETE FROM subscription_leases WHERE subscription_id = $1 AND backend_pid = pg_backend_pid()
       )
       SELECT pg_advisory_unlock(hashtextextended($2, 0))`,
      [name, lockKey(name)],
    );
  };

  /** A process that wants no lease holds no session: it is not counted among the instances. */
  const disconnect = async () => {
    const open = client;
    client = undefined;
    await open?.end().catch(() => {});
  };

  const tickOnce = () =>
    inTurn(async () => {
      if (closed || claims.length === 0) return;
      ticks += 1;
      let db: pg.Client | undefined;
      try {
        db = await connection();
        await heartbeat(db);
        yieldExtra();
        await contend(db);
      } catch (error) {
        // Whatever failed, the locks' state on the server is no longer known here: end the session
        // (which frees every lock it held) and start again on a new one at the next tick.
        log.warn({ err: error }, 'lease session lost');
        if (db) dropConnection(db, (error as Error).message);
      }
    });

  const tick = (): Promise<void> => {
    if (ticking) {
      tickAgain = true;
      return ticking;
    }
    ticking = (async () => {
      do {
        tickAgain = false;
        await tickOnce();
      } while (tickAgain && !closed);
    })().finally(() => {
      ticking = undefined;
    });
    return ticking;
  };

  const timer = setInterval(() => void tick(), Math.min(heartbeatMs, 500));
  timer.unref();

  return {
    acquire(name, holder) {
      let markLost: () => void = () => {};
      const lost = new Promise<void>((resolve) => {
        markLost = resolve;
      });
      let claim!: Claim;
      const acquired = new Promise<void>((resolve, reject) => {
        claim = { name, holder, state: 'waiting', take: resolve, refuse: reject, lose: markLost };
      });
      acquired.catch(() => {});
      if (closed) {
        claim.state = 'ended';
        claim.refuse(new Error(`lease ${name}: the process's leases are closed`));
      } else {
        claims.push(claim);
        void tick();
      }
      return {
        acquired,
        lost,
        isHeld: () => claim.state === 'held',
        async release() {
          const was = claim.state;
          end(claim);
          if (was === 'waiting') claim.refuse(new Error(`lease ${name} released before it was acquired`));
          if (was !== 'held' && was !== 'yielding') return;
          await inTurn(async () => {
            if (client) await giveBack(client, name);
            if (claims.length === 0) await disconnect();
          }).catch(() => {});
        },
      };
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await ticking;
      for (const claim of [...claims]) {
        const was = claim.state;
        end(claim);
        if (was === 'waiting')
          claim.refuse(new Error(`lease ${claim.name}: the process's leases are closed`));
        if (was === 'held' || was === 'yielding') claim.lose();
      }
      await disconnect();
    },
  };
};
