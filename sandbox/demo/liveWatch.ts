// The ops console's view of the orders, as the console itself gets it: one websocket on /api/live
// carrying each order's status as it changes. Drivers that follow it read an order over REST only
// when they need more than its status, instead of polling every order every few milliseconds.
import WebSocket from 'ws';

type Watched = { status: string | null; changes: number; waiters: Set<() => void> };

export type OrderWatch = {
  /** The status the feed last reported for the order, and how many changes it has seen of it. */
  seen(orderId: string): { status: string | null; changes: number } | undefined;
  /** Resolves at the order's next change after `changes`, or after `timeoutMs` (a safety net). */
  changed(orderId: string, changes: number, timeoutMs: number): Promise<void>;
  close(): void;
};

const RECONNECT_MS = 250;

/**
 * Subscribes from now; after a dropped socket (a platform restarting) it reconnects from the last
 * checkpoint it received, so no change is missed. Resolves once the first subscription is live.
 */
export const watchOrders = async (url: string, token: string): Promise<OrderWatch> => {
  const orders = new Map<string, Watched>();
  let checkpoint: unknown = null;
  let closed = false;
  let socket: WebSocket | undefined;

  const entry = (orderId: string) => {
    let watched = orders.get(orderId);
    if (!watched) {
      watched = { status: null, changes: 0, waiters: new Set() };
      orders.set(orderId, watched);
    }
    return watched;
  };

  const connect = () =>
    new Promise<void>((resolve, reject) => {
      const address = `${url.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(token)}`;
      const ws = new WebSocket(address);
      socket = ws;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', after: checkpoint })));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          type: string;
          checkpoint?: unknown;
          orderId?: string;
          status?: string | null;
        };
        if (message.checkpoint) checkpoint = message.checkpoint;
        if (message.type === 'caught-up') resolve();
        if (message.type !== 'order-changed' || !message.orderId) return;
        const watched = entry(message.orderId);
        if (message.status !== undefined && message.status !== null) watched.status = message.status;
        watched.changes += 1;
        for (const wake of watched.waiters) wake();
      });
      ws.on('error', reject);
      ws.on('close', () => {
        if (closed) return;
        setTimeout(() => connect().catch(() => {}), RECONNECT_MS);
      });
    });

  await connect();
  return {
    seen(orderId) {
      const watched = orders.get(orderId);
      return watched && { status: watched.status, changes: watched.changes };
    },
    changed(orderId, changes, timeoutMs) {
      const watched = entry(orderId);
      if (watched.changes > changes) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          watched.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        watched.waiters.add(done);
      });
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
};
