import pg from 'pg';

export type Notifier = {
  /** Calls `listener` whenever events are appended anywhere; returns an unsubscribe function. */
  onAppend(listener: () => void): () => void;
  /**
   * Tells every process's subscribers that events were committed. Called after an append commits;
   * while one NOTIFY is in flight further calls collapse into a single follow-up, so a busy writer
   * sends one tiny notifying transaction per round trip instead of one per append.
   */
  announce(): void;
  close(): Promise<void>;
};

export const CHANNEL = 'events_appended';

/**
 * One LISTEN connection per process, shared by every subscription in it. If the connection drops
 * it reconnects with back-off and wakes every listener, since notifications may have been missed.
 */
export const createNotifier = (
  connectionString: string,
  log: (line: string) => void = () => {},
  sender?: Pick<pg.Pool, 'query'>,
): Notifier => {
  const listeners = new Set<() => void>();
  let sending = false;
  let again = false;
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;

  const wakeAll = () => {
    for (const listener of listeners) listener();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: 'pharmacy-notifier' });
    next.on('notification', wakeAll);
    next.on('error', (error) => {
      log(`notifier connection lost: ${error.message}`);
      reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      failures = 0;
      wakeAll();
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

  const send = async () => {
    sending = true;
    do {
      again = false;
      try {
        await (sender ?? client)?.query(`SELECT pg_notify('${CHANNEL}', '')`);
      } catch (error) {
        log(`could not announce appended events: ${(error as Error).message}`);
      }
    } while (again && !closed);
    sending = false;
  };

  return {
    announce() {
      wakeAll(); // subscribers in this process need no round trip
      if (sending) again = true;
      else void send();
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
