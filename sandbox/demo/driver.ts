// Plays ops and the patient for one order, through the platform's HTTP API only. The stand-ins play
// the outside world: the mailbox delivers the magic link, the Stripe page takes the payment, the
// Shippo stand-in moves the parcel. It acts on the order's status as it finds it, again and again,
// so it carries an order to its end even while the platform is restarting under it.
import type { GeneratedRx } from './generate.js';
import { type Answer, type ApiCaller, type Json, ok, pause, tolerantApi } from './http.js';
import type { OrderWatch } from './liveWatch.js';
import type { DemoVendors } from './vendors.js';

export type DemoContext = {
  url: string;
  intakeKey: string;
  opsToken: string;
  vendors: DemoVendors;
  pollMs?: number;
  /**
   * The ops console's live feed: with it the driver reads an order over REST only when it needs
   * more than the order's status, and otherwise waits for the next change (see liveWatch.ts).
   */
  watch?: OrderWatch;
  /** How long one order may take before the driver gives up on it. */
  deadlineMs?: number;
};

export type DemoOutcome = {
  orderId: string;
  finalStatus: string;
  ndc11: string;
  /** The label's tracking number, when one was bought. */
  trackingNumber: string | null;
};

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const ENROLLMENT_SUBJECT = 'Complete your prescription enrollment';
/** A link e-mail not seen after this long is sent again (the old link then stops working). */
const RESEND_AFTER_MS = 120_000;

const TERMINAL = new Set(['completed', 'cancelled']);

/**
 * Statuses where the driver acts on more than the status: a recommendation, a payer's NDC, a
 * checkout session, a new parcel. Later statuses reuse the parcel read at `shipped`.
 */
const NEEDS_DETAIL = new Set([
  'awaiting_pharmacy_selection',
  'adjudication_rejected',
  'awaiting_payment',
  'shipped',
]);

/** A change the live feed failed to bring is noticed by reading the order after this long. */
const WATCH_FALLBACK_MS = 1_000;

/**
 * What happens to the parcel: delivered, or lost by the carrier, after which the patient no longer
 * wants the order and ops cancel it (the payment is refunded).
 */
export type OrderScenario = 'delivered' | 'lost_then_cancelled';

export const driveOrder = async (
  ctx: DemoContext,
  rx: GeneratedRx,
  scenario: OrderScenario = 'delivered',
): Promise<DemoOutcome> => {
  const api: ApiCaller = tolerantApi(ctx.url);
  const ops = { authorization: `Bearer ${ctx.opsToken}` };
  const opsCall = (method: string, path: string, body?: unknown) => api(method, path, { body, headers: ops });

  // The same MessageID always maps to the same order, so a resent intake is harmless.
  const intake = ok(
    await api('POST', '/api/intake', {
      body: Buffer.from(rx.xml),
      headers: { 'x-api-key': ctx.intakeKey, 'content-type': 'application/xml' },
    }),
    'intake',
  );
  const orderId: string = intake.orderId;
  // The patient's own plan, from the sample plans the payer stand-in knows.
  const coverage = {
    bin: rx.plan.bin,
    pcn: rx.plan.pcn,
    group: rx.plan.group,
    memberId: `M${orderId.slice(-9)}`,
  };
  const done = new Set<string>();
  let linkSince = Date.now();
  const deadline = Date.now() + (ctx.deadlineMs ?? 300_000);

  /** Each step once per key: a payment, a tracking advance; a failed step may be tried again. */
  const once = async (key: string, step: () => Promise<unknown>) => {
    if (done.has(key)) return true;
    await step();
    done.add(key);
    return true;
  };

  const enroll = async () => {
    const mails = (await ctx.vendors.mails(rx.email))
      .filter((m) => m.to.includes(rx.email) && m.subject === ENROLLMENT_SUBJECT)
      .reverse();
    for (const mail of mails) {
      const token = /\/enroll\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
      if (!token) continue;
      const patient = { 'x-enrollment-token': token };
      const enrollment = await api('GET', '/api/patient/enrollment', { headers: patient });
      if (enrollment.status !== 200) continue; // an older link, replaced, or used already
      for (const side of ['front', 'back']) {
        ok(
          await api('PUT', `/api/patient/enrollment/cards/${side}`, {
            body: PNG,
            headers: { ...patient, 'content-type': 'image/png' },
          }),
          `card ${side}`,
        );
      }
      const name = `${rx.patient.firstName} ${rx.patient.lastName}`;
      await api('POST', '/api/patient/enrollment', {
        body: {
          insurance: { ...coverage, cardholderName: name, relationship: '1' },
          consent: { accepted: true, version: enrollment.body.consent.version, signedName: name },
        },
        headers: patient,
      });
      return true;
    }
    if (Date.now() - linkSince > RESEND_AFTER_MS) {
      await opsCall('POST', `/api/orders/${orderId}/enrollment`, {});
      linkSince = Date.now();
    }
    return false;
  };

  /**
   * Acts on the order as it stands. True when the order now moves without the driver (its step is
   * done, or it is the platform's turn); false when the driver should look again soon.
   */
  const act = async (order: Json): Promise<boolean> => {
    /** A step the platform answered (a 409 means the order moved on meanwhile: look again). */
    const step = async (answer: Promise<Answer>) => (await answer).status < 409;
    switch (order.status) {
      case 'validation_issue':
        return step(
          opsCall('POST', `/api/orders/${orderId}/cancel`, {
            reason: 'invalid prescription; prescriber asked to resend',
          }),
        );
      case 'validated':
        linkSince = Date.now();
        return step(opsCall('POST', `/api/orders/${orderId}/enrollment`, {}));
      case 'awaiting_enrollment':
        return enroll();
      case 'awaiting_pharmacy_selection':
        return step(
          opsCall('POST', `/api/orders/${orderId}/pharmacy`, {
            pharmacyId: order.recommendations[0].pharmacyId,
          }),
        );
      case 'adjudication_rejected': {
        // The prescriber obtains the prior authorization; the plan tells ops its number by phone.
        const number = await ctx.vendors.grantPriorAuthorization({
          ...coverage,
          ndc11: order.normalisedNdc,
        });
        return step(
          opsCall('POST', `/api/orders/${orderId}/prior-authorization`, {
            number,
            receivedVia: 'phone',
            note: 'approved by the plan',
          }),
        );
      }
      case 'awaiting_payment':
        return once(`pay:${order.payment.sessionId}`, () =>
          ctx.vendors.payCheckout(order.payment.sessionId).catch(() => undefined),
        );
      case 'payment_mismatch':
        return step(opsCall('POST', `/api/orders/${orderId}/payment/accept`, { reason: 'demo accepts' }));
      case 'shipped':
        return once(`transit:${order.shipment.trackingNumber}`, () =>
          ctx.vendors.advanceUsParcel(
            order.shipment.trackingNumber,
            scenario === 'delivered' ? 'TRANSIT' : 'FAILURE',
          ),
        );
      case 'in_transit':
      case 'out_for_delivery':
        return once(`delivered:${order.shipment.trackingNumber}`, () =>
          ctx.vendors.advanceUsParcel(order.shipment.trackingNumber, 'DELIVERED'),
        );
      case 'delivery_exception':
        return step(
          scenario === 'delivered'
            ? opsCall('POST', `/api/orders/${orderId}/reship`, { reason: 'demo reships' })
            : opsCall('POST', `/api/orders/${orderId}/cancel`, { reason: 'parcel lost; patient cancelled' }),
        );
      default:
        return true; // the platform's own processes move every other status
    }
  };

  /** The order as last read over REST. */
  let detail: Json | null = null;
  /** What the order looks like now: its status from the live feed when that is all the driver needs. */
  const look = async (): Promise<Json | null> => {
    const seen = ctx.watch?.seen(orderId);
    if (seen?.status && !NEEDS_DETAIL.has(seen.status)) return { ...detail, status: seen.status };
    // The read model follows the events within milliseconds; until it has the order, it answers 404.
    const read = await opsCall('GET', `/api/orders/${orderId}`);
    detail = read.status === 200 ? read.body : detail;
    return read.status === 200 ? read.body : null;
  };

  for (;;) {
    const changes = ctx.watch?.seen(orderId)?.changes ?? 0;
    const order = await look();
    if (order && TERMINAL.has(order.status)) {
      return {
        orderId,
        finalStatus: order.status,
        ndc11: rx.ndc11,
        trackingNumber: order.shipment?.trackingNumber ?? null,
      };
    }
    if (Date.now() > deadline) {
      throw new Error(`order ${orderId} stopped at ${order?.status ?? 'unknown'}`);
    }
    // An action refused (409: the order moved on meanwhile) is simply looked at again.
    const moving = order ? await act(order) : false;
    const fed = ctx.watch?.seen(orderId)?.status;
    // Following the feed, the driver sleeps until the order changes, unless it has yet to act (the
    // link e-mail not in the mailbox yet, or the read model a step behind the feed).
    if (ctx.watch && moving && (!fed || fed === order?.status)) {
      await ctx.watch.changed(orderId, changes, WATCH_FALLBACK_MS);
    } else await pause(ctx.pollMs ?? 50);
  }
};
