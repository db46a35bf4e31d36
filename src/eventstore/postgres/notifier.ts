import pg from 'pg';

export type Notifier = {
  /** Calls `listener` whenever events are appended anywhere; returns an unsubscribe function. */
  onAppend(listener: () => void): () => void;
  close(): Promise<void>;
};

/**
 * One LISTEN connection per process, shared by every subscription in it. If the connection drops
 * it reconnects with back-off and wakes every listener, since notifications may have been missed.
 */
export const createNotifier = (connectionString: string, log: (line: string) => void = () => {}): Notifier => {
  const listeners = new Set<() => void>();
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
      await next.query('LISTEN events_appended');
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

  return {
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
