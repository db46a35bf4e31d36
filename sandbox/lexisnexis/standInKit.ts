/**
 * What every UK vendor stand-in (IDU, SignatureRx, TitanPMR, Royal Mail) shares: fault injection,
 * API-key checks, idempotent creates and listening on a free local port.
 *
 * It lives with the IDU stand-in, the first vendor in the flow, only because no shared sandbox
 * folder was open to this work; it names no vendor and belongs in `sandbox/support/`.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

export type StandInClock = { now(): Date };
export const wallClock: StandInClock = { now: () => new Date() };

export type ListenOptions = { port?: number; host?: string };

/** Test controls every stand-in offers, so adapters can be driven into each failure mode. */
export type FaultControls = {
  /** The next `n` API requests answer `status` (default 503) before doing anything. */
  failNextRequests(n: number, status?: number): void;
  /** The next `n` API requests wait `ms` before being handled: a slow vendor, for timeouts. */
  delayNextRequests(n: number, ms: number): void;
};

export type GuardOptions = {
  /** Pages a person opens in a browser (a signing page) skip the key check and fault injection. */
  isPublic?: (request: FastifyRequest) => boolean;
  /** Which requests injected faults hit (a vendor with two APIs fails one at a time); all by default. */
  faultable?: (request: FastifyRequest) => boolean;
  authorized: (request: FastifyRequest) => boolean;
  /** The vendor's own error body, so adapters read failures exactly as the real API sends them. */
  errorBody: (status: number, code: string, message: string, request: FastifyRequest) => unknown;
};

/**
 * A quiet Fastify app that drops every connection on `close()`: a test's client may still hold a
 * keep-alive socket or a request parked in `delayNextRequests`, and waiting out Node's keep-alive
 * timeout would stall the suite for a minute.
 */
export const createStandInApp = (options: { bodyLimit?: number } = {}): FastifyInstance =>
  Fastify({ logger: false, forceCloseConnections: true, ...options });

/** `Authorization: Bearer <key>`, the scheme most of these APIs use. */
export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
};

/** A single header's value; a repeated header counts as absent rather than guessing which wins. */
export const singleHeader = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Delays, then injected failures, then the API key: as a load balancer, then the API, would. */
export const guardApi = (app: FastifyInstance, options: GuardOptions): FaultControls => {
  const failures = { remaining: 0, status: 503 };
  const delays = { remaining: 0, ms: 0 };
  // A request parked in a delay must not hold `close()` open.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.addHook('onRequest', async (request, reply) => {
    if (options.isPublic?.(request)) return;
    const faultable = options.faultable?.(request) ?? true;
    if (faultable && delays.remaining > 0) {
      delays.remaining -= 1;
      await sleep(delays.ms, undefined, { signal: closing.signal }).catch(() => undefined);
    }
    if (faultable && failures.remaining > 0) {
      failures.remaining -= 1;
      return reply
        .code(failures.status)
        .send(
          options.errorBody(
            failures.status,
            'unavailable',
            'The service is temporarily unavailable',
            request,
          ),
        );
    }
    if (!options.authorized(request)) {
      return reply
        .code(401)
        .send(options.errorBody(401, 'unauthorized', 'A valid API key is required', request));
    }
  });

  return {
    failNextRequests(n, status = 503) {
      failures.remaining = n;
      failures.status = status;
    },
    delayNextRequests(n, ms) {
      delays.remaining = n;
      delays.ms = ms;
    },
  };
};

/** What a route answers; kept whole so a retry gets the very same bytes. */
export type Answer = { status: number; body: unknown };

/** JSON with sorted keys, hashed: the same request with keys in another order is the same request. */
export const fingerprint = (value: unknown): string =>
  createHash('sha256')
    .update(
      JSON.stringify(value, (_key, node: unknown) =>
        node !== null && typeof node === 'object' && !Array.isArray(node)
          ? Object.fromEntries(Object.entries(node).sort(([a], [b]) => a.localeCompare(b)))
          : node,
      ),
    )
    .digest('hex');

/**
 * Idempotent creates: the first answer to a key is kept and replayed to every retry with the same
 * request, a concurrent retry waits for the first, and the same key with a different request is
 * refused with `conflict`. 5xx answers are not kept, so a retry after an outage executes afresh.
 */
export const createIdempotency = (conflict: (key: string) => Answer) => {
  const entries = new Map<string, { fingerprint: string; answer: Promise<Answer> }>();
  return {
    async run(
      key: string | undefined,
      request: unknown,
      execute: () => Answer | Promise<Answer>,
    ): Promise<Answer & { replayed: boolean }> {
      if (!key) return { ...(await execute()), replayed: false };
      const print = fingerprint(request);
      const entry = entries.get(key);
      if (entry) {
        if (entry.fingerprint !== print) return { ...conflict(key), replayed: false };
        return { ...structuredClone(await entry.answer), replayed: true };
      }
      const answer = Promise.resolve().then(execute);
      entries.set(key, { fingerprint: print, answer });
      try {
        const settled = await answer;
        if (settled.status >= 500) entries.delete(key);
        return { ...structuredClone(settled), replayed: false };
      } catch (error) {
        entries.delete(key);
        throw error;
      }
    },
  };
};

export const listen = async (app: FastifyInstance, options: ListenOptions): Promise<string> => {
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  return `http://${address.address}:${address.port}`;
};
