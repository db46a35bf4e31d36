import pg from 'pg';
import type { SubscriptionFilter } from '../types.js';

/** What was appended: lets a subscription that cares about neither stay asleep. */
export type AppendHint = { categories: readonly string[]; eventTypes: readonly string[] };

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
  close(): Promise<void>;
};

export const CHANNEL = 'events_appended';
/** NOTIFY payloads must stay under 8000 bytes; past this the hint is dropped and everyone wakes. */
const MAX_PAYLOAD = 7_000;

export const hintMatches = (filter: SubscriptionFilter, hint: AppendHint | null): boolean => {
  if (hint === null) return true;
  switch (filter.kind) {
    case 'all':
      return true;
    case 'categories':
      return hint.categories.some((c) => filter.categories.includes(c));
    case 'eventTypes':
      return hint.eventTypes.some((t) => filter.eventTypes.includes(t));
  }
};

const parseHint = (payload: string | undefined): AppendHint | null => {
  try {
    const parsed = JSON.parse(payload ?? '') as { c?: unknown; t?: unknown };
    if (Array.isArray(parsed.c) && Array.isArray(parsed.t)) {
      return { categories: parsed.c.map(String), eventTypes: parsed.t.map(String) };
    }
  } catch {
    // not one of ours: treat as "something changed"
  }
  return null;
};

/**
 * One LISTEN connection per process, shared by every subscription in it. If the connection drops
 * it reconnects with back-off and wakes every listener, since notifications may have been missed.
 */
/** How long announcements gather before one NOTIFY goes out: far below the one-second live target. */
export const ANNOUNCE_COALESCE_MS = 5;

export const createNotifier = (
  connectionString: string,
  log: (line: string) => void = () => {},
  sender?: Pick<pg.Pool, 'query'>,
): Notifier => {
  const listeners = new Set<AppendListener>();
  let sending = false;
  let pending: { categories: Set<string>; eventTypes: Set<string>; unknown: boolean } | null = null;
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;

  const wake = (hint: AppendHint | null) => {
    for (const listener of listeners) listener(hint);
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: 'pharmacy-notifier' });
    next.on('notification', (message) => wake(parseHint(message.payload)));
    next.on('error', (error) => {
      log(`notifier connection lost: ${error.message}`);
      reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      failures = 0;
      wake(null);
    } catch (error) {
      log(`notifier could not connect: ${(error as Error).message}`);
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

  /** Runs while announcements keep coming: one NOTIFY, then a pause to gather the next batch. */
  const send = async () => {
    while (pending && !closed) {
      const batch = pending;
      pending = null;
      const payload = batch.unknown
        ? ''
        : JSON.stringify({ c: [...batch.categories], t: [...batch.eventTypes] });
      try {
        await (sender ?? client)?.query('SELECT pg_notify($1, $2)', [
          CHANNEL,
          payload.length > MAX_PAYLOAD ? '' : payload,
        ]);
      } catch (error) {
        log(`could not announce appended events: ${(error as Error).message}`);
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
    async close() {
      closed = true;
      await ready;
      await client?.end().catch(() => {});
    },
  };
};
