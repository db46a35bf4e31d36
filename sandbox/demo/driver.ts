// Plays ops and the patient for one order, through the platform's HTTP API only. The stand-ins play
// the outside world: the mailbox delivers the magic link, the Stripe page takes the payment, the
// Shippo stand-in moves the parcel. It acts on the order's status as it finds it, again and again,
// so it carries an order to its end even while the platform is restarting under it.
import type { GeneratedRx } from './generate.js';
import { type Answer, type ApiCaller, type Json, ok, pause, tolerantApi } from './http.js';
import type { DemoVendors } from './vendors.js';

export type DemoContext = {
  url: string;
  intakeKey: string;
  opsToken: string;
  vendors: DemoVendors;
  pollMs?: number;
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
    if (done.has(key)) return;
    await step();
    done.add(key);
  };

  const enroll = async () => {
    const mails = (await ctx.vendors.mails())
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
      return;
    }
    if (Date.now() - linkSince > RESEND_AFTER_MS) {
      await opsCall('POST', `/api/orders/${orderId}/enrollment`, {});
      linkSince = Date.now();
    }
  };

  const act = async (order: Json): Promise<Answer | undefined> => {
    switch (order.status) {
      case 'validation_issue':
        return opsCall('POST', `/api/orders/${orderId}/cancel`, {
          reason: 'invalid prescription; prescriber asked to resend',
        });
      case 'validated':
        linkSince = Date.now();
        return opsCall('POST', `/api/orders/${orderId}/enrollment`, {});
      case 'awaiting_enrollment':
        await enroll();
        return undefined;
      case 'awaiting_pharmacy_selection':
        return opsCall('POST', `/api/orders/${orderId}/pharmacy`, {
          pharmacyId: order.recommendations[0].pharmacyId,
        });
      case 'adjudication_rejected': {
        // The prescriber obtains the prior authorization; the plan tells ops its number by phone.
        const number = await ctx.vendors.grantPriorAuthorization({
          ...coverage,
          ndc11: order.normalisedNdc,
        });
        return opsCall('POST', `/api/orders/${orderId}/prior-authorization`, {
          number,
          receivedVia: 'phone',
          note: 'approved by the plan',
        });
      }
      case 'awaiting_payment':
        await once(`pay:${order.payment.sessionId}`, () =>
          ctx.vendors.payCheckout(order.payment.sessionId).catch(() => undefined),
        );
        return undefined;
      case 'payment_mismatch':
        return opsCall('POST', `/api/orders/${orderId}/payment/accept`, { reason: 'demo accepts' });
      case 'shipped':
        await once(`transit:${order.shipment.trackingNumber}`, () =>
          ctx.vendors.advanceUsParcel(
            order.shipment.trackingNumber,
            scenario === 'delivered' ? 'TRANSIT' : 'FAILURE',
          ),
        );
        return undefined;
      case 'in_transit':
      case 'out_for_delivery':
        await once(`delivered:${order.shipment.trackingNumber}`, () =>
          ctx.vendors.advanceUsParcel(order.shipment.trackingNumber, 'DELIVERED'),
        );
        return undefined;
      case 'delivery_exception':
        return scenario === 'delivered'
          ? opsCall('POST', `/api/orders/${orderId}/reship`, { reason: 'demo reships' })
          : opsCall('POST', `/api/orders/${orderId}/cancel`, { reason: 'parcel lost; patient cancelled' });
      default:
        return undefined; // the platform's own processes move every other status
    }
  };

  for (;;) {
    // The read model follows the events within milliseconds; until it has the order, it answers 404.
    const read = await opsCall('GET', `/api/orders/${orderId}`);
    const order = read.status === 200 ? read.body : null;
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
    if (order) await act(order);
    await pause(ctx.pollMs ?? 50);
  }
};
