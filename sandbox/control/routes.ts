// The sandbox control API: what a tester (the sandbox page, curl, the demo) uses to play each
// vendor's part — move a parcel, decide a prior authorisation, pay a checkout, refund, break a
// vendor for a while, move platform time. Mounted by `npm start` and the demo only, never by
// `cli start`: it lives in sandbox/ and production code cannot import it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../../src/http/auth/problem.js';
import { absentBodyIsEmpty } from '../../src/http/validation.js';
import type { Clock } from '../../src/platform/clock.js';
import { DAY, HOUR, MINUTE } from '../../src/platform/clock.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { type OrderView, upgradeOrderView } from '../../src/projections/orders/orderView.js';
import { SCAN_EVENTS, type StandInStatus } from '../royalmail/tracking.js';
import type { StandIns } from '../standIns.js';

export type ControlClock = Clock & { advance(ms: number): void };

export type SandboxControlDeps = {
  standIns: StandIns;
  clock: ControlClock;
  /** The platform's database, to find an order's tracking number, coverage or checkout session. */
  pool: SqlPool;
};

export const SANDBOX_API = '/sandbox/api';

/** Shippo's statuses, plus OUT_FOR_DELIVERY: Shippo sends that as TRANSIT with its own substatus. */
export const US_PARCEL_STATUSES = [
  'PRE_TRANSIT',
  'TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'FAILURE',
  'RETURNED',
] as const;
export const UK_PARCEL_STATUSES = Object.keys(SCAN_EVENTS) as StandInStatus[];
export const FAILABLE_VENDORS = [
  'stripe',
  'shippo',
  'payer',
  'smtp',
  'lexisnexis',
  'signaturerx',
  'titanpmr',
  'royalmail',
  'twilio',
] as const;
export type FailableVendor = (typeof FAILABLE_VENDORS)[number];

const usParcel = z.strictObject({
  status: z.enum(US_PARCEL_STATUSES),
  details: z.string().max(200).optional(),
});
const ukParcel = z.strictObject({
  status: z.enum(UK_PARCEL_STATUSES as [StandInStatus, ...StandInStatus[]]),
  location: z.string().max(100).optional(),
});
const paDecision = z.strictObject({ decision: z.enum(['grant', 'deny']) });
const coverageDecision = paDecision.extend({
  bin: z.string().regex(/^\d{6}$/, 'six digits'),
  pcn: z.string().min(1).max(15),
  group: z.string().min(1).max(15),
  memberId: z.string().min(1).max(20),
  ndc11: z.string().regex(/^\d{11}$/, 'eleven digits'),
});
const checkoutOutcome = z.strictObject({ outcome: z.enum(['pay', 'decline', 'expire']) });
const refundBody = z.strictObject({
  paymentIntentId: z.string().regex(/^pi_[A-Za-z0-9]+$/, 'a Stripe PaymentIntent id (pi_…)'),
  amountMinor: z.number().int().positive().max(100_000_000).optional(),
});
const orderRefundBody = refundBody.omit({ paymentIntentId: true });
const outageBody = z
  .strictObject({
    calls: z.number().int().min(1).max(10_000).optional(),
    minutes: z
      .number()
      .positive()
      .max(24 * 60)
      .optional(),
    status: z.number().int().min(400).max(599).optional(),
  })
  .refine((b) => (b.calls === undefined) !== (b.minutes === undefined), {
    message: 'Give either calls or minutes',
  });
const clockBody = z
  .strictObject({
    minutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 400)
      .optional(),
    hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 400)
      .optional(),
    days: z.number().int().min(0).max(400).optional(),
  })
  .refine((b) => (b.minutes ?? 0) + (b.hours ?? 0) + (b.days ?? 0) > 0, {
    message: 'Move the clock forward by at least one minute',
  });
const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');
const orderParams = z.strictObject({ orderId: id });
const trackingParams = z.strictObject({ trackingNumber: id });
const sessionParams = z.strictObject({ sessionId: id });
const prescriptionParams = z.strictObject({ prescriptionId: id });
const vendorParams = z.strictObject({ vendor: z.enum(FAILABLE_VENDORS) });

type OrderRow = {
  orderId: string;
  status: string;
  normalisedNdc: string | null;
  insurance: { bin: string; pcn: string; group: string; memberId: string } | null;
  trackingNumber: string | null;
  sessionId: string | null;
  payments: { paymentIntentId: string; amountMinor: number }[];
};

const readOrder = async (pool: SqlPool, orderId: string): Promise<OrderRow | null> => {
  const { rows } = await pool.query<{ detail: OrderView }>('SELECT detail FROM orders WHERE order_id = $1', [
    orderId,
  ]);
  if (!rows[0]) return null;
  const view = upgradeOrderView(rows[0].detail);
  return {
    orderId,
    status: view.status,
    normalisedNdc: view.normalisedNdc,
    insurance: view.enrollment.insurance,
    trackingNumber: view.shipment?.trackingNumber ?? null,
    sessionId: view.payment.sessionId,
    payments: view.money.payments.filter((p) => p.kind !== 'unexpected'),
  };
};

const notFound = (reply: FastifyReply, detail: string) => problem(reply, 404, 'Not found', detail);
const conflict = (reply: FastifyReply, detail: string) =>
  problem(reply, 409, 'Not possible in the current state', detail);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The sandbox control routes, under /sandbox/api; no staff sign-in, as there is none in a vendor's test dashboard. */
export const sandboxControlRoutes = (deps: SandboxControlDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { standIns, clock, pool } = deps;
  const outageTimers = new Map<FailableVendor, NodeJS.Timeout>();
  app.addHook('onClose', async () => {
    for (const timer of outageTimers.values()) clearTimeout(timer);
  });

  const failFor = (vendor: FailableVendor): ((n: number, status?: number) => void) => {
    switch (vendor) {
      case 'stripe':
        return standIns.stripe.failNextRequests;
      case 'shippo':
        return standIns.shippo.failNextRequests;
      case 'payer':
        return standIns.payer.failNextRequests;
      case 'smtp':
        return standIns.mailbox.failNextMessages;
      case 'lexisnexis':
        return standIns.idu.failNextRequests;
      case 'signaturerx':
        return standIns.signatureRx.failNextRequests;
      case 'titanpmr':
        return standIns.titanPmr.failNextRequests;
      case 'royalmail':
        return standIns.royalMail.failNextRequests;
      case 'twilio':
        return standIns.twilio.failNextRequests;
    }
  };

  const advanceUs = async (trackingNumber: string, body: z.infer<typeof usParcel>) => {
    const status = body.status === 'OUT_FOR_DELIVERY' ? 'TRANSIT' : body.status;
    const webhook = await standIns.shippo.advanceTracking(trackingNumber, status, {
      ...(status !== body.status ? { substatus: 'out_for_delivery' } : {}),
      ...(body.details ? { details: body.details } : {}),
    });
    return { carrier: 'shippo', trackingNumber, status: body.status, webhook: webhook ?? null };
  };

  const decidePa = (coverage: z.infer<typeof coverageDecision>) => {
    const { decision, ...rest } = coverage;
    if (decision === 'grant') {
      return { decision: 'granted', priorAuthorizationNumber: standIns.payer.grantPriorAuthorization(rest) };
    }
    standIns.payer.denyPriorAuthorization(rest);
    return { decision: 'denied', priorAuthorizationNumber: null };
  };

  const settleCheckout = async (sessionId: string, outcome: z.infer<typeof checkoutOutcome>['outcome']) => {
    if (outcome === 'expire') await standIns.stripe.expireCheckoutSession(sessionId);
    else await standIns.stripe.payCheckoutSession(sessionId, { fail: outcome === 'decline' });
    return { sessionId, outcome };
  };

  /** As a refund from Stripe's dashboard: through Stripe's own API, so its webhooks follow. */
  const refund = async (paymentIntentId: string, amountMinor?: number) => {
    const form = new URLSearchParams({ payment_intent: paymentIntentId });
    if (amountMinor !== undefined) form.set('amount', String(amountMinor));
    const response = await fetch(`${standIns.stripe.url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${standIns.env.STRIPE_SECRET_KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    const body = (await response.json()) as {
      id?: string;
      status?: string;
      amount?: number;
      error?: { message?: string };
    };
    return { status: response.status, body };
  };

  // The controls are the sandbox's, not the product's: README documents them, the platform's
  // OpenAPI document (and the authorisation matrix built from it) leaves them out.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(SANDBOX_API)) route.schema = { ...route.schema, hide: true };
  });

  app.get(SANDBOX_API, async () => ({
    sandbox: true,
    now: clock.now().toISOString(),
    usParcelStatuses: US_PARCEL_STATUSES,
    ukParcelStatuses: UK_PARCEL_STATUSES,
    failableVendors: FAILABLE_VENDORS,
    mailbox: standIns.mailbox.httpUrl,
  }));

  app.post(`${SANDBOX_API}/clock/advance`, { schema: { body: clockBody } }, async (request) => {
    const { body } = request;
    const ms = (body.minutes ?? 0) * MINUTE + (body.hours ?? 0) * HOUR + (body.days ?? 0) * DAY;
    const before = clock.now();
    clock.advance(ms);
    return { from: before.toISOString(), now: clock.now().toISOString(), advancedMs: ms };
  });

  app.post(
    `${SANDBOX_API}/shippo/tracks/:trackingNumber`,
    { schema: { params: trackingParams, body: usParcel } },
    async (request, reply) => {
      const { params, body } = request;
      try {
        return await advanceUs(params.trackingNumber, body);
      } catch (error) {
        return notFound(reply, messageOf(error));
      }
    },
  );

  app.post(
    `${SANDBOX_API}/royalmail/tracks/:trackingNumber`,
    { schema: { params: trackingParams, body: ukParcel } },
    async (request, reply) => {
      const { params, body } = request;
      try {
        const scan = standIns.royalMail.advance(params.trackingNumber, body.status, {
          ...(body.location ? { location: body.location } : {}),
        });
        return { carrier: 'royalmail', trackingNumber: params.trackingNumber, status: body.status, scan };
      } catch (error) {
        return notFound(reply, messageOf(error));
      }
    },
  );

  app.post(
    `${SANDBOX_API}/orders/:orderId/tracking`,
    { schema: { params: orderParams, body: usParcel } },
    async (request, reply) => {
      const { params, body } = request;
      const order = await readOrder(pool, params.orderId);
      if (!order) return notFound(reply, `There is no order ${params.orderId}.`);
      if (!order.trackingNumber)
        return conflict(reply, `Order ${params.orderId} has no parcel yet (${order.status}).`);
      return { orderId: order.orderId, ...(await advanceUs(order.trackingNumber, body)) };
    },
  );

  // The prescriber signs in SignatureRx's portal: the stand-in's webhook then tells the platform.
  app.post(
    `${SANDBOX_API}/signaturerx/prescriptions/:prescriptionId/sign`,
    { schema: { params: prescriptionParams } },
    async (request, reply) => {
      const { params } = request;
      try {
        const signed = standIns.signatureRx.sign(params.prescriptionId);
        return { prescriptionId: params.prescriptionId, status: signed.status };
      } catch (error) {
        const message = messageOf(error);
        return message.startsWith('No ') ? notFound(reply, message) : conflict(reply, message);
      }
    },
  );

  app.post(
    `${SANDBOX_API}/prior-authorizations`,
    { schema: { body: coverageDecision } },
    async (request, reply) => {
      const { body } = request;
      try {
        return decidePa(body);
      } catch (error) {
        return notFound(reply, messageOf(error));
      }
    },
  );

  app.post(
    `${SANDBOX_API}/orders/:orderId/prior-authorization`,
    { schema: { params: orderParams, body: paDecision } },
    async (request, reply) => {
      const { params, body } = request;
      const order = await readOrder(pool, params.orderId);
      if (!order) return notFound(reply, `There is no order ${params.orderId}.`);
      if (!order.insurance || !order.normalisedNdc) {
        return conflict(reply, `Order ${params.orderId} has no insurance on file yet (${order.status}).`);
      }
      const { bin, pcn, group, memberId } = order.insurance;
      try {
        return {
          orderId: order.orderId,
          ...decidePa({ ...body, bin, pcn, group, memberId, ndc11: order.normalisedNdc }),
        };
      } catch (error) {
        return conflict(reply, messageOf(error));
      }
    },
  );

  app.post(
    `${SANDBOX_API}/stripe/checkout-sessions/:sessionId`,
    { schema: { params: sessionParams, body: checkoutOutcome } },
    async (request, reply) => {
      const { params, body } = request;
      if (!standIns.stripe.state.checkoutSessions.has(params.sessionId)) {
        return notFound(reply, `There is no checkout session ${params.sessionId}.`);
      }
      try {
        return await settleCheckout(params.sessionId, body.outcome);
      } catch (error) {
        return conflict(reply, messageOf(error));
      }
    },
  );

  app.post(
    `${SANDBOX_API}/orders/:orderId/checkout`,
    { schema: { params: orderParams, body: checkoutOutcome } },
    async (request, reply) => {
      const { params, body } = request;
      const order = await readOrder(pool, params.orderId);
      if (!order) return notFound(reply, `There is no order ${params.orderId}.`);
      if (!order.sessionId)
        return conflict(reply, `Order ${params.orderId} has no open checkout (${order.status}).`);
      try {
        return { orderId: order.orderId, ...(await settleCheckout(order.sessionId, body.outcome)) };
      } catch (error) {
        return conflict(reply, messageOf(error));
      }
    },
  );

  app.post(`${SANDBOX_API}/stripe/refunds`, { schema: { body: refundBody } }, async (request, reply) => {
    const { body } = request;
    const answer = await refund(body.paymentIntentId, body.amountMinor);
    if (answer.status >= 400) {
      return problem(
        reply,
        answer.status === 404 ? 404 : 409,
        'Stripe refused the refund',
        answer.body.error?.message ?? 'refused',
      );
    }
    return { refundId: answer.body.id, status: answer.body.status, amountMinor: answer.body.amount };
  });

  app.post(
    `${SANDBOX_API}/orders/:orderId/refund`,
    { preValidation: absentBodyIsEmpty, schema: { params: orderParams, body: orderRefundBody } },
    async (request, reply) => {
      const { params, body } = request;
      const order = await readOrder(pool, params.orderId);
      if (!order) return notFound(reply, `There is no order ${params.orderId}.`);
      const payment = order.payments.at(-1);
      if (!payment)
        return conflict(reply, `Order ${params.orderId} has no payment to refund (${order.status}).`);
      const answer = await refund(payment.paymentIntentId, body.amountMinor);
      if (answer.status >= 400) {
        return problem(reply, 409, 'Stripe refused the refund', answer.body.error?.message ?? 'refused');
      }
      return {
        orderId: order.orderId,
        refundId: answer.body.id,
        status: answer.body.status,
        amountMinor: answer.body.amount,
      };
    },
  );

  app.post(
    `${SANDBOX_API}/vendors/:vendor/outage`,
    { schema: { params: vendorParams, body: outageBody } },
    async (request) => {
      const { params, body } = request;
      const fail = failFor(params.vendor);
      clearTimeout(outageTimers.get(params.vendor));
      outageTimers.delete(params.vendor);
      if (body.calls !== undefined) {
        fail(body.calls, body.status);
        return { vendor: params.vendor, failing: { calls: body.calls }, status: body.status ?? null };
      }
      // A timed outage is measured in real minutes: moving the sandbox clock does not end it.
      const minutes = body.minutes as number;
      fail(Number.MAX_SAFE_INTEGER, body.status);
      const until = new Date(Date.now() + minutes * MINUTE);
      const timer = setTimeout(() => {
        fail(0);
        outageTimers.delete(params.vendor);
      }, minutes * MINUTE);
      timer.unref();
      outageTimers.set(params.vendor, timer);
      return { vendor: params.vendor, failing: { until: until.toISOString() }, status: body.status ?? null };
    },
  );

  app.delete(
    `${SANDBOX_API}/vendors/:vendor/outage`,
    { schema: { params: vendorParams } },
    async (request, reply) => {
      const { params } = request;
      clearTimeout(outageTimers.get(params.vendor));
      outageTimers.delete(params.vendor);
      failFor(params.vendor)(0);
      return reply.code(204).send();
    },
  );
};
