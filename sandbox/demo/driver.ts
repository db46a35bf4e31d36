// Plays ops and the patient for one order, through the platform's HTTP API only. The stand-ins play
// the outside world: the mailbox delivers the magic link, the Stripe page takes the payment, the
// Shippo stand-in moves the parcel.
import type { StandIns } from '../standIns.js';
import type { GeneratedRx } from './generate.js';

export type DemoContext = {
  url: string;
  intakeKey: string;
  opsToken: string;
  standIns: StandIns;
  pollMs?: number;
};

// biome-ignore lint/suspicious/noExplicitAny: the demo reads API answers loosely, as a script would
type Json = Record<string, any>;

const call = async (
  ctx: DemoContext,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const response = await fetch(`${ctx.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ctx.opsToken}`,
      ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as Json;
  if (response.status >= 400)
    throw new Error(`${method} ${path} → ${response.status} ${json.title ?? ''}: ${json.detail ?? ''}`);
  return json;
};

const TERMINAL_WAITS = 4_000; // polls per wait: at 25 ms, 100 s

/** Waits until the order reaches one of `statuses`, returning the order detail. */
const waitFor = async (ctx: DemoContext, orderId: string, statuses: readonly string[]) => {
  for (let i = 0; i < TERMINAL_WAITS; i++) {
    // The read model follows the events within milliseconds; until it has the order, it answers 404.
    const response = await fetch(`${ctx.url}/api/orders/${orderId}`, {
      headers: { authorization: `Bearer ${ctx.opsToken}` },
    });
    const detail = response.status === 200 ? ((await response.json()) as Json) : null;
    if (detail && statuses.includes(detail.status)) return detail;
    await new Promise((resolve) => setTimeout(resolve, ctx.pollMs ?? 25));
  }
  throw new Error(`order ${orderId} did not reach ${statuses.join(' or ')}`);
};

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export type DemoOutcome = { orderId: string; finalStatus: string };

export const driveOrder = async (ctx: DemoContext, rx: GeneratedRx): Promise<DemoOutcome> => {
  const intake = await call(ctx, 'POST', '/api/intake', Buffer.from(rx.xml), {
    'x-api-key': ctx.intakeKey,
    'content-type': 'application/xml',
  });
  const orderId: string = intake.orderId;
  const validated = await waitFor(ctx, orderId, ['validated', 'validation_issue']);
  if (validated.status === 'validation_issue') {
    await call(ctx, 'POST', `/api/orders/${orderId}/cancel`, {
      reason: 'invalid prescription; prescriber asked to resend',
    });
    return { orderId, finalStatus: 'cancelled' };
  }

  await call(ctx, 'POST', `/api/orders/${orderId}/enrollment`, {});
  const mail = await ctx.standIns.mailbox.waitFor(
    (m) => m.to.includes(rx.email) && m.subject === 'Complete your prescription enrollment',
    60_000,
  );
  const token = /\/enroll\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1]!;
  const patient = { 'x-enrollment-token': token, authorization: '' };
  const enrollment = await call(ctx, 'GET', '/api/patient/enrollment', undefined, patient);
  for (const side of ['front', 'back']) {
    await call(ctx, 'PUT', `/api/patient/enrollment/cards/${side}`, PNG, {
      ...patient,
      'content-type': 'image/png',
    });
  }
  const coverage = { bin: '610014', pcn: 'CommPlanA', group: 'EVG1001', memberId: `M${orderId.slice(-9)}` };
  await call(
    ctx,
    'POST',
    '/api/patient/enrollment',
    {
      insurance: {
        ...coverage,
        cardholderName: `${rx.patient.firstName} ${rx.patient.lastName}`,
        relationship: '1',
      },
      consent: {
        accepted: true,
        version: enrollment.consent.version,
        signedName: `${rx.patient.firstName} ${rx.patient.lastName}`,
      },
    },
    patient,
  );

  const routed = await waitFor(ctx, orderId, ['awaiting_pharmacy_selection']);
  await call(ctx, 'POST', `/api/orders/${orderId}/pharmacy`, {
    pharmacyId: routed.recommendations[0].pharmacyId,
  });

  // A zero patient amount is waived and ships at once: any later status will do.
  const later = ['paid', 'shipped', 'in_transit', 'out_for_delivery', 'delivered', 'completed'];
  let priced = await waitFor(ctx, orderId, ['awaiting_payment', 'adjudication_rejected', ...later]);
  if (priced.status === 'adjudication_rejected') {
    // The prescriber obtains the prior authorization; ops resubmits the claim.
    ctx.standIns.payer.grantPriorAuthorization({ ...coverage, ndc11: priced.normalisedNdc });
    await call(ctx, 'POST', `/api/orders/${orderId}/claim/resubmit`, {
      reason: 'prior authorization approved',
      priorAuthorizationNumber: `PA-${orderId.slice(-6)}`,
    });
    priced = await waitFor(ctx, orderId, ['awaiting_payment', ...later]);
  }
  if (priced.status === 'awaiting_payment')
    await ctx.standIns.stripe.payCheckoutSession(priced.payment.sessionId);

  const shipped = await waitFor(ctx, orderId, [
    'shipped',
    'in_transit',
    'out_for_delivery',
    'delivered',
    'completed',
  ]);
  await ctx.standIns.shippo.advanceTracking(shipped.shipment.trackingNumber, 'TRANSIT');
  await ctx.standIns.shippo.advanceTracking(shipped.shipment.trackingNumber, 'DELIVERED');
  const done = await waitFor(ctx, orderId, ['completed', 'delivery_exception']);
  return { orderId, finalStatus: done.status };
};
