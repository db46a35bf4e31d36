import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Logger, silentLogger } from '../../platform/logger.js';
import type { SqlQueryable } from '../../platform/sql.js';
import { type FilterSubject, filterMatches } from '../subscriptions.js';
import type { SubscriptionFilter } from '../types.js';
import type { Checkpoint } from './position.js';
import { compareCheckpoints, newestCheckpoint } from './readBatch.js';

/** What was appended: lets a subscription that cares about neither stay asleep. */
export type AppendHint = FilterSubject;

/** `null`: anything may have changed (a reconnect, an oversized or foreign payload). */
export type AppendListener = (hint: AppendHint | null) => void;

export type Notifier = {
  /** Calls `listener` whenever events are appended anywhere; returns an unsubscribe function. */
  onAppend(listener: AppendListener): () => void;
  /**
   * Tells every process's subscribers that events were committed. Called after an append commits;
   * calls within a few milliseconds collapse into one NOTIFY carrying all their hints, so busy
   * writers send a handful of tiny notifying transactions per second rather than one per append.
   */
  announce(hint?: AppendHint): void;
  /**
   * The process's one safety-net poll: calls `listener` with the newest event below the horizon
   * whenever it moved. A subscription already there stays asleep; one behind it reads. Only
   * notifiers created with `horizonPollMs` poll; the others never call back.
   */
  onHorizon(listener: (newest: Checkpoint) => void): () => void;
  /**
   * How many wake-ups this notifier has given: appends here, notifications from elsewhere, horizon
   * moves. Counted before the listeners run, so a read begun at or after a count sees what every
   * wake-up up to it announced (once below the horizon).
   */
  announced(): number;
  close(): Promise<void>;
};

export const CHANNEL = 'events_appended';
/** NOTIFY payloads must stay under 8000 bytes; past this the hint is dropped and everyone wakes. */
const MAX_PAYLOAD = 7_000;

export const hintMatches = (filter: SubscriptionFilter, hint: AppendHint | null): boolean =>
  hint === null || filterMatches(filter, hint);

/** A notification's hint, and the notifier that sent it (absent from payloads of other senders). */
const parsePayload = (payload: string | undefined): { hint: AppendHint | null; origin?: string } => {
  try {
    const parsed = JSON.parse(payload ?? '') as { c?: unknown; t?: unknown; o?: unknown };
    const origin = typeof parsed.o === 'string' ? parsed.o : undefined;
    if (Array.isArray(parsed.c) && Array.isArray(parsed.t)) {
      return { hint: { categories: parsed.c.map(String), eventTypes: parsed.t.map(String) }, origin };
    }
  } catch {
    // not one of ours: treat as "something changed"
  }
  return { hint: null };
};

/**
 * One LISTEN connection per process, shared by every subscription in it. If the connection drops
 * it reconnects with back-off and wakes every listener, since notifications may have been missed.
 */
/** How long announcements gather before one NOTIFY goes out: far below the one-second live target. */
export const ANNOUNCE_COALESCE_MS = 5;

export const createNotifier = (
  connectionString: string,
  log: Logger = silentLogger,
  sender?: SqlQueryable,
  options: { horizonPollMs?: number } = {},
): Notifier => {
  const listeners = new Set<AppendListener>();
  const horizonListeners = new Set<(newest: Checkpoint) => void>();
  let horizon: Checkpoint | undefined;
  let horizonTimer: NodeJS.Timeout | undefined;
  let sending = false;
  let pending: { categories: Set<string>; eventTypes: Set<string>; unknown: boolean } | null = null;
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  // Named in each NOTIFY this notifier sends: its own come back to it, and its listeners were woken
  // when the append committed. Woken again, each subscription found nothing new and began its quick
  // re-reads, one burst of reads after every append for nothing.
  const origin = randomBytes(9).toString('base64url');

  let wakeUps = 0;
  const wake = (hint: AppendHint | null) => {
    wakeUps += 1;
    for (const listener of listeners) listener(hint);
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: 'pharmacy-notifier' });
    next.on('notification', (message) => {
      const { hint, origin: from } = parsePayload(message.payload);
      if (from !== origin) wake(hint);
    });
    next.on('error', (error) => {
      log.warn({ err: error }, 'notifier connection lost');
      reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      failures = 0;
      wake(null);
    } catch (error) {
      log.warn({ err: error }, 'notifier could not connect');
      await next.end().catch(() => {});
      reconnect();
    }
  };

  const reconnect = () => {
    if (closed) return;
    const stale = client;
    client = undefined;
    stale?.end().catch(() => {});
    failures += 1;
    setTimeout(connect, Math.min(5_000, 100 * 2 ** failures)).unref();
  };

  const ready = connect();

  // One cheap index probe per interval for the whole process, instead of every subscription
  // reading on its own timer: it catches events whose NOTIFY was lost, and events that only came
  // below the horizon after their NOTIFY (a long transaction that appended nothing ended).
  const pollHorizon = async () => {
    if (horizonListeners.size === 0 || !sender || closed) return;
    try {
      const newest = await newestCheckpoint(sender, { belowHorizon: true });
      if (closed || !newest || (horizon && compareCheckpoints(newest, horizon) === 0)) return;
      horizon = newest;
      wakeUps += 1;
      for (const listener of horizonListeners) listener(newest);
    } catch (error) {
      // A poll still in flight when the process stops meets its database going away: not news.
      if (!closed) log.warn({ err: error }, 'horizon poll failed');
    }
  };
  let polling: Promise<void> | undefined;
  if (options.horizonPollMs !== undefined && sender) {
    horizonTimer = setInterval(() => {
      if (polling) return;
      polling = pollHorizon().finally(() => {
        polling = undefined;
      });
    }, options.horizonPollMs);
    horizonTimer.unref();
  }

  /** Runs while announcements keep coming: one NOTIFY, then a pause to gather the next batch. */
  const send = async () => {
    while (pending && !closed) {
      const batch = pending;
      pending = null;
      const payload = batch.unknown
        ? ''
        : JSON.stringify({ c: [...batch.categories], t: [...batch.eventTypes], o: origin });
      try {
        const via: SqlQueryable | null | undefined = sender ?? client;
        await via?.query('SELECT pg_notify($1, $2)', [CHANNEL, payload.length > MAX_PAYLOAD ? '' : payload]);
      } catch (error) {
        log.warn({ err: error }, 'could not announce appended events');
      }
      if (pending) await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_COALESCE_MS));
    }
    sending = false;
  };

  return {
    announce(hint) {
      wake(hint ?? null); // subscribers in this process need no round trip
      pending ??= { categories: new Set(), eventTypes: new Set(), unknown: false };
      if (!hint) pending.unknown = true;
      for (const c of hint?.categories ?? []) pending.categories.add(c);
      for (const t of hint?.eventTypes ?? []) pending.eventTypes.add(t);
      if (!sending) {
        sending = true;
        setTimeout(() => void send(), ANNOUNCE_COALESCE_MS);
      }
    },
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onHorizon(listener) {
      horizonListeners.add(listener);
      return () => horizonListeners.delete(listener);
    },
    announced: () => wakeUps,
    async close() {
      closed = true;
      if (horizonTimer) clearInterval(horizonTimer);
      await polling;
      await ready;
      await client?.end().catch(() => {});
    },
  };
};
