import type { Lease, Leases } from '../leases.js';

/**
 * The lease port within one process, for tests and single-process tools: a lease is held until
 * released, then goes to the longest waiter. Nothing is lost here, since nothing can die apart.
 */
export const createMemoryLeases = (): Leases => {
  const holders = new Map<string, Lease>();
  const waiting = new Map<string, (() => void)[]>();

  const handOver = (name: string) => {
    const next = waiting.get(name)?.shift();
    next?.();
  };

  return {
    acquire(name) {
      let held = false;
      let released = false;
      let take: () => void = () => {};
      let refuse: (error: Error) => void = () => {};
      const acquired = new Promise<void>((resolve, reject) => {
        take = () => {
          holders.set(name, lease);
          held = true;
          resolve();
        };
        refuse = reject;
      });
      acquired.catch(() => {});
      const lease: Lease = {
        acquired,
        isHeld: () => held,
        lost: new Promise<void>(() => {}),
        async release() {
          if (released) return;
          released = true;
          if (held) {
            held = false;
            holders.delete(name);
            handOver(name);
            return;
          }
          const queue = waiting.get(name) ?? [];
          waiting.set(
            name,
            queue.filter((waiter) => waiter !== take),
          );
          refuse(new Error(`lease ${name} released before it was acquired`));
        },
      };
      if (holders.has(name)) waiting.set(name, [...(waiting.get(name) ?? []), take]);
      else take();
      return lease;
    },
  };
};
