import { createHmac } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { type StripeEvent, stripeId, unixSeconds } from './objects.js';

/** One attempt to deliver one event, kept so tests can see retries and duplicates. */
export type WebhookDelivery = {
  eventId: string;
  type: string;
  attempt: number;
  url: string;
  at: string;
  outcome: 'delivered' | 'failed';
  status?: number;
  error?: string;
};

/** Exactly Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`. */
export const signWebhookPayload = (payload: string, secret: string, timestamp: number): string =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;

export type WebhookOutboxOptions = {
  secret: string;
  endpoint: () => string | undefined;
  clock: { now(): Date };
  apiVersion: string;
  /** Waits before each retry; Stripe spreads retries over days, a stand-in over milliseconds. */
  retryDelaysMs: readonly number[];
  attemptTimeoutMs: number;
};

/**
 * Records every event and delivers them one at a time, in the order they happened, so a test
 * reads a deterministic sequence. A receiver that answers non-2xx or cannot be reached is retried
 * with the configured back-off; after that the event stays in the log as failed, as in Stripe.
 */
export const createWebhookOutbox = (options: WebhookOutboxOptions) => {
  const events = new Map<string, StripeEvent>();
  const log: WebhookDelivery[] = [];
  const stop = new AbortController();
  // Every pending delivery listens for the stop: there may be many at once.
  setMaxListeners(0, stop.signal);
  let queue: Promise<void> = Promise.resolve();

  const attempt = async (event: StripeEvent, url: string, number: number): Promise<boolean> => {
    const payload = JSON.stringify(event, null, 2);
    const at = options.clock.now();
    const entry = { eventId: event.id, type: event.type, attempt: number, url, at: at.toISOString() };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          // Signed per attempt, as Stripe does, so a late retry still falls inside the tolerance.
          'stripe-signature': signWebhookPayload(payload, options.secret, unixSeconds(at)),
        },
        body: payload,
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(options.attemptTimeoutMs)]),
      });
      await response.arrayBuffer();
      const delivered = response.ok;
      log.push({ ...entry, outcome: delivered ? 'delivered' : 'failed', status: response.status });
      return delivered;
    } catch (error) {
      log.push({
        ...entry,
        outcome: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  };

  /** Redeliveries run on their own: like Stripe, one failing endpoint call holds up no other event. */
  const retrying = new Set<Promise<void>>();
  const retry = async (event: StripeEvent, number: number): Promise<void> => {
    for (let next = number; !stop.signal.aborted; next++) {
      const delay = options.retryDelaysMs[next - 2];
      if (delay === undefined) return;
      await sleep(delay, undefined, { signal: stop.signal }).catch(() => undefined);
      const url = options.endpoint();
      if (url === undefined || stop.signal.aborted) return;
      if (await attempt(event, url, next)) return;
    }
  };

  /** The first attempt in the order events happened; retries after that in the background. */
  const deliver = async (event: StripeEvent): Promise<void> => {
    const url = options.endpoint();
    if (url === undefined) return; // no endpoint configured: Stripe keeps the event and sends nothing
    if (await attempt(event, url, 1)) return;
    const pending = retry(event, 2).finally(() => retrying.delete(pending));
    retrying.add(pending);
  };

  const enqueue = (event: StripeEvent): Promise<void> => {
    queue = queue.then(() => deliver(event));
    return queue;
  };

  return {
    /** Records an event about a snapshot of `object` and queues its delivery. */
    emit(type: string, object: unknown): StripeEvent {
      const event: StripeEvent = {
        id: stripeId('evt'),
        object: 'event',
        api_version: options.apiVersion,
        created: unixSeconds(options.clock.now()),
        data: { object: structuredClone(object) },
        livemode: false,
        pending_webhooks: options.endpoint() === undefined ? 0 : 1,
        request: { id: null, idempotency_key: null },
        type,
      };
      events.set(event.id, event);
      void enqueue(event);
      return event;
    },
    /** Delivers an already-sent event again with its original id: Stripe's at-least-once delivery. */
    resend(eventId: string): Promise<void> {
      const event = events.get(eventId);
      if (!event) return Promise.reject(new Error(`No such event: ${eventId}`));
      return enqueue(event);
    },
    events: (): StripeEvent[] => [...events.values()],
    deliveries: (): readonly WebhookDelivery[] => [...log],
    /** Resolves once every queued delivery, retries included, has finished. */
    idle: async (): Promise<void> => {
      let seen: Promise<void>;
      do {
        seen = queue;
        await seen;
        await Promise.all([...retrying]);
      } while (seen !== queue || retrying.size > 0);
    },
    close(): void {
      stop.abort();
    },
  };
};

export type WebhookOutbox = ReturnType<typeof createWebhookOutbox>;
