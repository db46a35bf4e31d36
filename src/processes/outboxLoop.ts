import { type Logger, outsideAnyLogger } from '../platform/logger.js';

/**
 * The loop an outbox runs: one drain at a time (a wake-up during a drain runs one more after it),
 * a safety-net poll, and a close that waits for the drain in hand. The outbox supplies the drain.
 */
export const outboxLoop = (options: {
  name: string;
  drainOnce: () => Promise<number>;
  pollIntervalMs?: number;
  log?: Logger;
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
    // A drain sends whatever is queued, whoever queued it: its vendor calls belong to no delivery
    // that happened to wake it.
    running = outsideAnyLogger(async () => {
      let total = 0;
      do {
        again = false;
        total += await options.drainOnce();
      } while (again && !closed);
      return total;
    }).finally(() => {
      running = null;
    });
    return running;
  };

  /** Drains soon, once started; a no-op before `start` and after `close`. */
  const wake = () => {
    if (closed || !timer) return;
    drain().catch((error: Error) => options.log?.error({ err: error }, `${options.name} failed`));
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
