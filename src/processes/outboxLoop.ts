/**
 * The loop an outbox runs: one drain at a time (a wake-up during a drain runs one more after it),
 * a safety-net poll, and a close that waits for the drain in hand. The outbox supplies the drain.
 */
export const outboxLoop = (options: {
  name: string;
  drainOnce: () => Promise<number>;
  pollIntervalMs?: number;
  log?: (line: string) => void;
}) => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let again = false;
  let closed = false;

  const drain = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await options.drainOnce();
      } while (again && !closed);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  };

  /** Drains soon, once started; a no-op before `start` and after `close`. */
  const wake = () => {
    if (closed || !timer) return;
    drain().catch((error: Error) => options.log?.(`${options.name}: ${error.message}`));
  };

  return {
    drain,
    wake,
    isClosed: () => closed,
    start() {
      if (timer) return;
      timer = setInterval(wake, options.pollIntervalMs ?? 2_000);
      timer.unref();
      wake();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => 0);
    },
  };
};
