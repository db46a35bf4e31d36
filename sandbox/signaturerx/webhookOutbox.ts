/**
 * Signed, retried webhook delivery, shared by the SignatureRx and Royal Mail stand-ins (it lives
 * here because SignatureRx is the first of them in the flow; it names no vendor).
 *
 * Signature: `x-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, made
 * afresh for every attempt so a late retry still falls inside the receiver's tolerance.
 */
import { createHmac } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StandInClock } from '../lexisnexis/standInKit.js';

export const SIGNATURE_HEADER = 'x-signature';

export const signPayload = (rawBody: string, secret: string, timestampSeconds: number): string =>
  `t=${timestampSeconds},v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex')}`;

/** One attempt to deliver one event, kept so tests can see retries and give-ups. */
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

export type OutgoingEvent = { id: string; type: string; payload: unknown };

export type WebhookOutboxOptions = {
  secret: string;
  /** Read at each attempt, so a test can point the stand-in at a receiver after it started. */
  url: () => string | undefined;
  clock: StandInClock;
  /** The wait before each retry; the vendors spread retries over hours, a stand-in over ms. */
  retryDelaysMs: readonly number[];
  attemptTimeoutMs: number;
  userAgent: string;
};

/**
 * Delivers events one at a time, in the order they happened, so tests read a deterministic
 * sequence. A non-2xx answer or an unreachable receiver is retried on the back-off schedule; after
 * the last retry the event stays in the log as failed.
 */
export const createWebhookOutbox = (options: WebhookOutboxOptions) => {
  const log: WebhookDelivery[] = [];
  const stop = new AbortController();
  // Every pending delivery listens for the stop: there may be many at once.
  setMaxListeners(0, stop.signal);
  let queue: Promise<void> = Promise.resolve();

  const attempt = async (event: OutgoingEvent, url: string, number: number): Promise<boolean> => {
    const rawBody = JSON.stringify(event.payload);
    const at = options.clock.now();
    const entry = { eventId: event.id, type: event.type, attempt: number, url, at: at.toISOString() };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': options.userAgent,
          [SIGNATURE_HEADER]: signPayload(rawBody, options.secret, Math.floor(at.getTime() / 1000)),
        },
        body: rawBody,
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(options.attemptTimeoutMs)]),
      });
      await response.arrayBuffer();
      log.push({ ...entry, outcome: response.ok ? 'delivered' : 'failed', status: response.status });
      return response.ok;
    } catch (error) {
      log.push({
        ...entry,
        outcome: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  };

  /** Redeliveries run on their own: one failing call holds up no other event. */
  const retrying = new Set<Promise<void>>();
  const retry = async (event: OutgoingEvent, number: number): Promise<void> => {
    for (let next = number; !stop.signal.aborted; next++) {
      const delay = options.retryDelaysMs[next - 2];
      if (delay === undefined) return;
      await sleep(delay, undefined, { signal: stop.signal }).catch(() => undefined);
      const url = options.url();
      if (url === undefined || stop.signal.aborted) return;
      if (await attempt(event, url, next)) return;
    }
  };

  /** The first attempt in the order events happened; retries after that in the background. */
  const deliver = async (event: OutgoingEvent): Promise<void> => {
    const url = options.url();
    if (url === undefined) return; // nowhere registered: the vendor keeps the event and sends nothing
    if (await attempt(event, url, 1)) return;
    const pending = retry(event, 2).finally(() => retrying.delete(pending));
    retrying.add(pending);
  };

  return {
    send(event: OutgoingEvent): void {
      queue = queue.then(() => deliver(event));
    },
    deliveries: (): readonly WebhookDelivery[] => [...log],
    /** Resolves once every queued delivery, retries included, has finished. */
    async idle(): Promise<void> {
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
