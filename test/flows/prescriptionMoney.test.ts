import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookPayload } from '../../sandbox/stripe/webhooks.js';
import { eventually, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { type Api, insurance, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

// Money and ways out in the US flow, each finding of the issue reproduced through HTTP and the real
// Stripe, Shippo and payer SDK paths against their stand-ins.

let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let api: Api;
beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  api = steps.api;
  await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const detail = async (orderId: string) => (await api.get(`/api/orders/${orderId}`)).body;
const typesOf = async (orderId: string) =>
  (await api.get(`/api/orders/${orderId}/events`)).body.events.map(
    (e: { type: string }) => e.type,
  ) as string[];
const refundsAtStripe = (paymentIntentId: string) =>
  harness.standIns.stripe.listRefunds().filter((r) => r.payment_intent === paymentIntentId);
const mailsTo = (email: string, subject: string) =>
  harness.standIns.mailbox.messages().filter((m) => m.to.includes(email) && m.subject === subject);

/** An order enrolled with the test insurance and a pharmacy selected; `replace` edits the NewRx. */
const selectedOrder = async (messageId: string, replace: Record<string, string> = {}) => {
  const orderId = await steps.intake(await newRxWith(messageId, replace));
  await waitForStatus(api, orderId, 'validated');
  // A member of their own per order: the payer's deductible and caps would otherwise move the amount.
  await steps.enroll(await steps.startEnrollment(orderId), `M${messageId.replaceAll(/\W/g, '')}`);
  await steps.selectBestPharmacy(orderId);
  return orderId;
};

/** What the payer left the patient to pay, as the order asks it. */
const amountDue = async (orderId: string) =>
  (await detail(orderId)).adjudication.patientPaysAfterCouponMinor as number;

const paidOrder = async (messageId: string) => {
  const orderId = await selectedOrder(messageId);
  await steps.pay(orderId);
  await waitForStatus(api, orderId, 'shipped');
  return orderId;
};

const paymentIntentOf = async (orderId: string) =>
  eventually(
    async () => (await detail(orderId)).money.payments.at(-1)?.paymentIntentId as string,
    'a payment',
  );

/** Signs an event as Stripe would, with the platform's webhook secret, and posts it. */
const postStripeEvent = async (type: string, object: Record<string, unknown>) => {
  const payload = JSON.stringify({
    id: `evt_test_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    type,
    data: { object },
  });
  const signature = signWebhookPayload(
    payload,
    harness.standIns.env.STRIPE_WEBHOOK_SECRET!,
    Math.floor(Date.now() / 1000),
  );
  return api.post('/webhook/stripe', payload, {
    'content-type': 'application/json',
    'stripe-signature': signature,
  });
};

describe('refunds', () => {
  it('1. refunds the payment once through Stripe when ops cancel a paid order after a failed delivery', async () => {
    const orderId = await paidOrder('MONEY-1');
    const tracking = (await detail(orderId)).shipment.trackingNumber;
    await harness.standIns.shippo.advanceTracking(tracking, 'FAILURE');
    await waitForStatus(api, orderId, 'delivery_exception');

    const cancelled = await api.post(`/api/orders/${orderId}/cancel`, { reason: 'patient moved abroad' });
    expect(cancelled.body.status).toBe('cancelled');

    const paymentIntentId = await paymentIntentOf(orderId);
    const due = await amountDue(orderId);
    const money = await eventually(async () => {
      const m = (await detail(orderId)).money;
      return m.refundedMinor > 0 ? m : undefined;
    }, 'the refund to settle');
    expect(money).toMatchObject({ chargedMinor: due, refundedMinor: due, keptMinor: 0 });
    expect(money.refunds).toMatchObject([{ kind: 'cancellation', status: 'settled' }]);
    expect(refundsAtStripe(paymentIntentId)).toHaveLength(1);
    await eventually(
      async () => mailsTo('adaeze.okafor@example.org', 'Your refund has been issued').length === 1,
      'the refund e-mail',
    );
    expect(mailsTo('adaeze.okafor@example.org', 'Your order has been cancelled').length).toBeGreaterThan(0);
  });

  it('lets ops refund part of a payment with a reason, never more than was paid', async () => {
    const orderId = await paidOrder('MONEY-1B');
    const due = await amountDue(orderId);
    const tooMuch = await api.post(`/api/orders/${orderId}/refund`, {
      amountMinor: due + 1,
      reason: 'coupon applied late',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('REFUND_EXCEEDS_PAYMENT');
    const partial = await api.post(`/api/orders/${orderId}/refund`, {
      amountMinor: 10_000,
      reason: 'coupon applied late',
    });
    expect(partial.status).toBe(200);
    const money = await eventually(async () => {
      const m = (await detail(orderId)).money;
      return m.refundedMinor === 10_000 ? m : undefined;
    }, 'the partial refund');
    expect(money).toMatchObject({ chargedMinor: due, keptMinor: due - 10_000 });
    expect((await detail(orderId)).status).toBe('shipped');
  });
});

describe('cancel closes the till', () => {
  it('2. expires the open checkout and hides the pay link; a payment that still lands is refunded and answered 2xx', async () => {
    const orderId = await selectedOrder('MONEY-2');
    await waitForStatus(api, orderId, 'awaiting_payment');
    const sessionId = (await detail(orderId)).payment.sessionId as string;
    // The patient pays while Stripe's webhook is held back (the platform hears of it late).
    harness.standIns.stripe.setWebhookUrl(undefined);
    await harness.standIns.stripe.payCheckoutSession(sessionId);
    harness.standIns.stripe.setWebhookUrl(`${harness.url}/webhook/stripe`);
    const completed = harness.standIns.stripe
      .events()
      .find(
        (e) => e.type === 'checkout.session.completed' && (e.data.object as { id: string }).id === sessionId,
      )!;

    await api.post(`/api/orders/${orderId}/cancel`, { reason: 'prescriber cancelled the therapy' });
    await eventually(async () => (await typesOf(orderId)).includes('PaymentLinkClosed'), 'the till to close');

    await harness.standIns.stripe.resendEvent(completed.id);
    const delivery = harness.standIns.stripe
      .deliveries()
      .filter((d) => d.eventId === completed.id)
      .at(-1)!;
    expect(delivery).toMatchObject({ outcome: 'delivered', status: 200 });

    const paymentIntentId = await paymentIntentOf(orderId);
    const due = await amountDue(orderId);
    await eventually(async () => (await detail(orderId)).money.refundedMinor === due, 'the refund');
    expect(refundsAtStripe(paymentIntentId)).toHaveLength(1);
    expect((await detail(orderId)).status).toBe('cancelled');
    // Stripe delivering it once more changes nothing.
    await harness.standIns.stripe.resendEvent(completed.id);
    await harness.composition.platform.drain();
    expect(refundsAtStripe(paymentIntentId)).toHaveLength(1);
  });

  it('2b. a cancelled order no longer offers its pay link to the patient, and Stripe refuses to take payment', async () => {
    const orderId = await selectedOrder('MONEY-2B');
    await waitForStatus(api, orderId, 'awaiting_payment');
    const sessionId = (await detail(orderId)).payment.sessionId as string;
    await api.post(`/api/orders/${orderId}/cancel`, { reason: 'duplicate prescription' });
    await eventually(async () => (await typesOf(orderId)).includes('PaymentLinkClosed'), 'the till to close');
    expect(harness.standIns.stripe.state.checkoutSessions.get(sessionId)?.status).toBe('expired');
    expect((await detail(orderId)).payment.url).toBeNull();
  });
});

describe('amount check', () => {
  /** A real checkout for the wrong amount, made straight at Stripe with the order's reference. */
  const payWrongAmount = async (orderId: string, amountMinor: number) => {
    const stripe = new Stripe(harness.standIns.env.STRIPE_SECRET_KEY!, {
      host: '127.0.0.1',
      port: Number(new URL(harness.standIns.stripe.url).port),
      protocol: 'http',
    });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: { currency: 'usd', unit_amount: amountMinor, product_data: { name: 'x' } },
        },
      ],
      success_url: 'http://x/ok',
      client_reference_id: orderId,
      metadata: { flow: 'prescription', orderId },
    });
    await harness.standIns.stripe.payCheckoutSession(session.id);
  };

  it('3. holds a $0.01 payment for a $3,651.60 order as a mismatch: nothing ships until ops decide', async () => {
    const orderId = await selectedOrder('MONEY-3');
    await waitForStatus(api, orderId, 'awaiting_payment');
    await payWrongAmount(orderId, 1);
    await waitForStatus(api, orderId, 'payment_mismatch');
    await harness.composition.platform.drain();
    const held = await detail(orderId);
    expect(held.payment.mismatch).toMatchObject({
      expectedMinor: await amountDue(orderId),
      receivedMinor: 1,
      currency: 'usd',
    });
    expect(await typesOf(orderId)).not.toContain('ShippingLabelPurchaseStarted');

    // Ops refund the cent and ask again: a new link, paid in full, ships.
    const refunded = await api.post(`/api/orders/${orderId}/payment/refund`, { reason: 'wrong amount paid' });
    expect(refunded.body.status).toBe('adjudicated');
    await eventually(async () => (await detail(orderId)).money.refundedMinor === 1, 'the cent to go back');
    await steps.pay(orderId);
    await waitForStatus(api, orderId, 'shipped');
    const due = await amountDue(orderId);
    expect((await detail(orderId)).money).toMatchObject({ chargedMinor: due + 1, keptMinor: due });
  });

  it('3b. ships once ops accept a payment that differs from the amount asked for', async () => {
    const orderId = await selectedOrder('MONEY-3B');
    await waitForStatus(api, orderId, 'awaiting_payment');
    await payWrongAmount(orderId, (await amountDue(orderId)) - 160);
    await waitForStatus(api, orderId, 'payment_mismatch');
    const accepted = await api.post(`/api/orders/${orderId}/payment/accept`, {
      reason: 'pharmacy waived the $1.60 difference',
    });
    expect(accepted.body.status).toBe('paid');
    await waitForStatus(api, orderId, 'shipped');
  });
});

describe('prior authorization', () => {
  const STELARA = { '<Code>00074055402</Code>': '<Code>57894006003</Code>' };

  it('4. sends the PA number with the resubmitted claim, and the payer pays once the PA is granted', async () => {
    const orderId = await selectedOrder('MONEY-4', STELARA);
    await waitForStatus(api, orderId, 'adjudication_rejected');
    expect((await detail(orderId)).claimRejects).toMatchObject([{ code: '75' }]);

    // A number the plan never granted is refused again.
    await api.post(`/api/orders/${orderId}/prior-authorization`, {
      number: 'PA12345678',
      receivedVia: 'fax',
    });
    await waitForStatus(api, orderId, 'adjudication_rejected');
    await eventually(
      async () => (await typesOf(orderId)).filter((t) => t === 'ClaimRejected').length === 2,
      '2nd reject',
    );

    // The plan approves the prescriber's request (the sandbox's control), and ops record it.
    const granted = await fetch(`${harness.standIns.payer.url}/sandbox/prior-authorizations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.standIns.payer.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...insurance, memberId: 'MMONEY4', ndc11: '57894006003' }),
    });
    const { priorAuthorizationNumber } = (await granted.json()) as { priorAuthorizationNumber: string };
    const recorded = await api.post(`/api/orders/${orderId}/prior-authorization`, {
      number: priorAuthorizationNumber,
      receivedVia: 'phone',
      note: 'approved by the plan’s PA desk',
    });
    expect(recorded.body.status).toBe('pharmacy_selected');
    await waitForStatus(api, orderId, 'awaiting_payment');
    expect((await detail(orderId)).priorAuthorization).toMatchObject({
      number: priorAuthorizationNumber,
      receivedVia: 'phone',
    });
  });
});

describe('shipped orders can move', () => {
  it('5a. ops record a delivery the carrier confirmed by phone, and the order completes', async () => {
    const orderId = await paidOrder('MONEY-5A');
    const recorded = await api.post(`/api/orders/${orderId}/delivery-status`, {
      status: 'delivered',
      details: 'UPS confirmed delivery by phone, left with neighbour',
    });
    expect(recorded.status).toBe(200);
    await waitForStatus(api, orderId, 'completed');
    const tracking = (await detail(orderId)).tracking;
    expect(tracking.at(-1)).toMatchObject({ status: 'delivered' });
  });

  it('5b. reships to a corrected address, and corrections change phone and e-mail for what follows', async () => {
    const orderId = await paidOrder('MONEY-5B');
    const contact = await api.post(`/api/orders/${orderId}/contact`, {
      phone: '614-555-0177',
      email: 'adaeze.new@example.org',
      reason: 'patient called with new details',
    });
    expect(contact.status).toBe(200);
    const tracking = (await detail(orderId)).shipment.trackingNumber;
    await harness.standIns.shippo.advanceTracking(tracking, 'FAILURE', { details: 'Address not found' });
    await waitForStatus(api, orderId, 'delivery_exception');
    const newAddress = {
      line1: '77 Lantern Way',
      city: 'Dublin',
      state: 'OH',
      postalCode: '43017',
    };
    const reship = await api.post(`/api/orders/${orderId}/reship`, {
      reason: 'address corrected with the patient',
      address: newAddress,
    });
    expect(reship.status).toBe(200);
    await waitForStatus(api, orderId, 'shipped');
    const shipment = (await detail(orderId)).shipment;
    const shipped = harness.standIns.shippo
      .purchases()
      .find((p) => p.trackingNumber === shipment.trackingNumber)!;
    const shippedTo = (await (
      await fetch(`${harness.standIns.shippo.url}/shipments/${shipped.shipmentId}`, {
        headers: { authorization: `ShippoToken ${harness.standIns.env.SHIPPO_API_KEY}` },
      })
    ).json()) as { address_to: unknown };
    expect(shippedTo.address_to).toMatchObject({
      street1: '77 Lantern Way',
      city: 'Dublin',
      zip: '43017',
      phone: '614-555-0177',
      email: 'adaeze.new@example.org',
    });
    await eventually(
      async () => mailsTo('adaeze.new@example.org', 'Your order has shipped').length === 1,
      'the shipped e-mail at the new address',
    );
  });

  it('7. refuses a carrier scan dated 2099, so the real delivery that follows still completes the order', async () => {
    const orderId = await paidOrder('MONEY-7');
    const tracking = (await detail(orderId)).shipment.trackingNumber;
    const future = await harness.standIns.shippo.advanceTracking(tracking, 'TRANSIT', {
      statusDate: '2099-06-01T10:00:00Z',
    });
    expect(future).toEqual({ status: 200 });
    await harness.standIns.shippo.advanceTracking(tracking, 'DELIVERED');
    await waitForStatus(api, orderId, 'completed');
    expect((await detail(orderId)).tracking.map((t: { statusDate: string }) => t.statusDate)).not.toContain(
      '2099-06-01T10:00:00.000Z',
    );
  });
});

describe('unmatched provider events', () => {
  it('10. answers a signed event for an unknown order or consultation 2xx and keeps it for ops', async () => {
    const unknownOrder = await postStripeEvent('checkout.session.completed', {
      id: 'cs_test_unknown_order',
      client_reference_id: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
      payment_status: 'paid',
      payment_intent: 'pi_test_unknown_order',
      amount_total: 5000,
      currency: 'usd',
      metadata: { flow: 'prescription', orderId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' },
    });
    expect(unknownOrder.status).toBe(200);
    const unknownConsultation = await postStripeEvent('checkout.session.completed', {
      id: 'cs_test_unknown_consultation',
      client_reference_id: null,
      payment_status: 'paid',
      payment_intent: 'pi_test_unknown_consultation',
      amount_total: 4999,
      currency: 'gbp',
      metadata: { flow: 'consultation', consultationId: '01JYYYYYYYYYYYYYYYYYYYYYYY' },
    });
    expect(unknownConsultation.status, JSON.stringify(unknownConsultation.body)).toBe(200);
    expect(unknownOrder.body).toMatchObject({ handled: false, unmatched: 'unknown order' });
    expect(unknownConsultation.body).toMatchObject({ handled: false, unmatched: 'unknown consultation' });
    const unmatched = await eventually(async () => {
      const items = (await api.get('/api/operations/unmatched-payments')).body.items as {
        reference: string | null;
        reason: string;
      }[];
      return items.length >= 2 ? items : undefined;
    }, 'both events kept for ops');
    expect(unmatched.map((u) => u.reason)).toEqual(
      expect.arrayContaining(['unknown consultation', 'unknown order']),
    );
  });
});
