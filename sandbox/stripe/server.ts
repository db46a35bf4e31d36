import Fastify from 'fastify';
import Stripe from 'stripe';
import { type FaultPlan, registerApi } from './api.js';
import { expireCheckoutSession, payCheckoutSession, sweepExpiredSessions } from './checkout.js';
import { parseFormBody } from './formBody.js';
import { createIdempotencyStore } from './idempotency.js';
import type { Refund, StripeEvent } from './objects.js';
import { checkoutSessionRoutes } from './routes/checkoutSessions.js';
import { customerRoutes } from './routes/customers.js';
import { registerHostedCheckout } from './routes/hostedCheckout.js';
import { paymentIntentRoutes } from './routes/paymentIntents.js';
import { refundRoutes } from './routes/refunds.js';
import { emptyState, type StandInContext, type StandInState } from './state.js';
import { testCardByNumber } from './testCards.js';
import { createWebhookOutbox, type WebhookDelivery } from './webhooks.js';

export type StripeStandInOptions = {
  /** 0 or absent: any free port. */
  port?: number;
  host?: string;
  /** Where events are POSTed; a function is asked at each delivery, so the receiver may start later. */
  webhookUrl?: string | (() => string | undefined);
  /** The endpoint's signing secret (`whsec_…`) the platform verifies with. */
  webhookSecret: string;
  /** The origin patients' browsers reach the hosted checkout page on, when not `http://host:port`. */
  publicBaseUrl?: string;
  clock?: { now(): Date };
  /** Waits before each webhook retry; the default retries three times within a second or so. */
  webhookRetryDelaysMs?: readonly number[];
};

export type StripeStandIn = {
  url: string;
  port: number;
  close(): Promise<void>;
  state: StandInState;
  setWebhookUrl(url: string | undefined): void;
  /** Pays an open session as the hosted page would; `fail` uses a card the issuer declines. */
  payCheckoutSession(id: string, options?: { fail?: boolean }): Promise<void>;
  expireCheckoutSession(id: string): Promise<void>;
  /** Expires open sessions whose `expires_at` has passed on the stand-in's clock (also runs every second). */
  sweepExpiredSessions(): void;
  listRefunds(): Refund[];
  /** The next `count` API requests answer `status` (503 by default): an outage. */
  failNextRequests(count: number, status?: number): void;
  /** The next `count` API requests wait `ms` before being handled: a slow Stripe, for timeouts. */
  delayNextRequests(count: number, ms: number): void;
  /** The customer's next off-session charge is declined with `declineCode` (default `generic_decline`). */
  declineNextOffSessionCharge(customerId: string, declineCode?: string): void;
  /** The next refund is accepted as `pending`, then fails (`refund.failed`). */
  failNextRefund(): void;
  events(): StripeEvent[];
  deliveries(): readonly WebhookDelivery[];
  /** Delivers an event again with the same `evt_` id, as Stripe's at-least-once delivery may. */
  resendEvent(eventId: string): Promise<void>;
  /** Resolves once every queued webhook delivery, retries included, has finished. */
  webhooksIdle(): Promise<void>;
  /** Forgets every idempotency key, as Stripe does 24 hours after a key was first used. */
  forgetIdempotencyKeys(): void;
};

/** Starts a local server that answers the official `stripe` SDK as Stripe's API would. */
export const startStripeStandIn = async (options: StripeStandInOptions): Promise<StripeStandIn> => {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? { now: () => new Date() };
  let webhookUrl = options.webhookUrl;
  let baseUrl = options.publicBaseUrl ?? '';
  const state = emptyState();
  const outbox = createWebhookOutbox({
    secret: options.webhookSecret,
    endpoint: () => (typeof webhookUrl === 'function' ? webhookUrl() : webhookUrl),
    clock,
    apiVersion: Stripe.API_VERSION,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [100, 300, 900],
    attemptTimeoutMs: 5_000,
  });
  const ctx: StandInContext = { state, clock, publicBaseUrl: () => baseUrl, emit: outbox.emit };
  const faults: FaultPlan = { failures: { count: 0, status: 503 }, delays: { count: 0, ms: 0 } };

  // Stripe's SDKs speak form encoding with bracket notation, in bodies and query strings alike.
  const app = Fastify({ logger: false, routerOptions: { querystringParser: parseFormBody } });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseFormBody(String(body))),
  );
  const idempotency = createIdempotencyStore();
  await registerApi(
    app,
    faults,
    [checkoutSessionRoutes(ctx), customerRoutes(ctx), paymentIntentRoutes(ctx), refundRoutes(ctx)],
    idempotency,
  );
  registerHostedCheckout(app, ctx);

  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${host}:${port}`;
  baseUrl ||= url;
  const sweeper = setInterval(() => sweepExpiredSessions(ctx), 1_000);
  sweeper.unref();

  return {
    url,
    port,
    state,
    async close() {
      clearInterval(sweeper);
      outbox.close();
      await app.close();
    },
    setWebhookUrl(next) {
      webhookUrl = next;
    },
    async payCheckoutSession(id, payOptions = {}) {
      const card = testCardByNumber(payOptions.fail ? '4000000000000002' : '4242424242424242');
      payCheckoutSession(ctx, id, card ? { card } : {});
    },
    async expireCheckoutSession(id) {
      expireCheckoutSession(ctx, id);
    },
    sweepExpiredSessions: () => sweepExpiredSessions(ctx),
    listRefunds: () => [...state.refunds.values()],
    failNextRequests(count, status = 503) {
      faults.failures = { count, status };
    },
    delayNextRequests(count, ms) {
      faults.delays = { count, ms };
    },
    declineNextOffSessionCharge(customerId, declineCode = 'generic_decline') {
      state.pendingDeclines.set(customerId, [...(state.pendingDeclines.get(customerId) ?? []), declineCode]);
    },
    failNextRefund() {
      state.pendingRefundFailures += 1;
    },
    events: outbox.events,
    deliveries: outbox.deliveries,
    resendEvent: outbox.resend,
    webhooksIdle: outbox.idle,
    forgetIdempotencyKeys: () => idempotency.forgetAll(),
  };
};
