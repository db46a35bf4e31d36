import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormBody } from '../../sandbox/stripe/formBody.js';
import { type StripeStandIn, startStripeStandIn } from '../../sandbox/stripe/server.js';
import { VendorRejectedError, VendorUnavailableError } from '../../src/integrations/errors.js';
import { InvalidWebhookSignatureError, type PaymentGateway } from '../../src/integrations/payments/port.js';
import { createStripeGateway } from '../../src/integrations/payments/stripeGateway.js';
import { MINUTE, manualClock } from '../../src/platform/clock.js';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from './support/webhookReceiver.js';

const WEBHOOK_SECRET = 'whsec_pharmacy_test_secret';
const SECRET_KEY = 'sk_test_pharmacy_platform';

const key = (purpose: string) => `${purpose}-${randomUUID()}`;

const objectId = (webhook: ReceivedWebhook): string =>
  (JSON.parse(webhook.rawBody.toString('utf8')) as { data: { object: { id: string } } }).data.object.id;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const submitPayment = (url: string, fields: Record<string, string>) =>
  fetch(`${url}/pay`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('payments through the Stripe stand-in', () => {
  let standIn: StripeStandIn;
  let receiver: WebhookReceiver;
  let payments: PaymentGateway;

  const delivered = (type: string, id: string) =>
    receiver.waitFor((webhook) => webhook.type === type && objectId(webhook) === id);

  const checkout = (overrides: Partial<Parameters<PaymentGateway['createCheckout']>[0]> = {}) =>
    payments.createCheckout({
      idempotencyKey: key('checkout'),
      orderRef: `order-${randomUUID()}`,
      amountMinor: 4250,
      currency: 'usd',
      description: 'Specialty prescription, first fill',
      customerEmail: 'patient@example.com',
      successUrl: 'https://pharmacy.example/orders/paid?session={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://pharmacy.example/orders/cancelled',
      ...overrides,
    });

  /** A paid checkout's PaymentIntent, as the platform learns it from the completed event. */
  const paidPaymentIntent = async (amountMinor = 4250) => {
    const { sessionId } = await checkout({ amountMinor });
    await standIn.payCheckoutSession(sessionId);
    const webhook = await delivered('checkout.session.completed', sessionId);
    const completed = payments.parseWebhook(webhook.rawBody, webhook.signature);
    if (completed.kind !== 'checkoutCompleted' || !completed.paymentIntentId) throw new Error('not paid');
    return completed.paymentIntentId;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    standIn = await startStripeStandIn({
      port: 0,
      webhookUrl: receiver.url,
      webhookSecret: WEBHOOK_SECRET,
      webhookRetryDelaysMs: [20, 40, 80],
    });
    payments = createStripeGateway({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiBase: standIn.url,
    });
  });

  afterAll(async () => {
    await standIn?.close();
    await receiver?.close();
  });

  it('a patient paying on the hosted page reaches the platform as a verified checkoutCompleted', async () => {
    const orderRef = `order-${randomUUID()}`;
    const created = await checkout({ orderRef, metadata: { pharmacy: 'us-specialty' } });
    expect(created.url).toBe(`${standIn.url}/checkout/${created.sessionId}`);
    expect(new Date(created.expiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 60 * MINUTE);

    const page = await fetch(created.url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('$42.50');
    expect(html).toMatch(/<label for="card_number">Card number<\/label>/);
    expect(html).toMatch(/<button type="submit" name="outcome" value="pay">Pay \$42\.50<\/button>/);
    expect(html).toContain('Simulate card declined');

    const paid = await submitPayment(created.url, {
      email: 'patient@example.com',
      card_number: '4242 4242 4242 4242',
      outcome: 'pay',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(
      `https://pharmacy.example/orders/paid?session=${created.sessionId}`,
    );

    const webhook = await delivered('checkout.session.completed', created.sessionId);
    const event = payments.parseWebhook(webhook.rawBody, webhook.signature);
    expect(event).toEqual({
      kind: 'checkoutCompleted',
      stripeEventId: webhook.eventId,
      sessionId: created.sessionId,
      orderRef,
      paid: true,
      paymentIntentId: expect.stringMatching(/^pi_/),
      setupIntentId: null,
      customerId: null,
      amountMinor: 4250,
      currency: 'usd',
      metadata: { pharmacy: 'us-specialty', orderRef },
    });

    const paymentIntentId = event.kind === 'checkoutCompleted' ? event.paymentIntentId : null;
    const intentHook = await delivered('payment_intent.succeeded', paymentIntentId ?? '');
    const succeeded = payments.parseWebhook(intentHook.rawBody, intentHook.signature);
    expect(succeeded).toMatchObject({
      kind: 'paymentSucceeded',
      amountMinor: 4250,
      paymentMethodId: expect.stringMatching(/^pm_/),
    });
    expect(succeeded).toMatchObject({ metadata: { orderRef } });
  });

  it('the same idempotency key returns the same checkout; another key opens a new one', async () => {
    const request = {
      idempotencyKey: key('checkout'),
      orderRef: `order-${randomUUID()}`,
      amountMinor: 1999,
      currency: 'gbp' as const,
      description: 'Online consultation',
      successUrl: 'https://pharmacy.example/ok',
      cancelUrl: 'https://pharmacy.example/cancel',
    };
    const first = await payments.createCheckout(request);
    const retried = await payments.createCheckout(request);
    const other = await payments.createCheckout({ ...request, idempotencyKey: key('checkout') });

    expect(retried).toEqual(first);
    expect(other.sessionId).not.toBe(first.sessionId);
    await expect(payments.createCheckout({ ...request, amountMinor: 2999 })).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'idempotency_error',
    });
    expect(await (await fetch(first.url)).text()).toContain('£19.99');
  });

  describe('webhook verification', () => {
    let genuine: ReceivedWebhook;

    beforeAll(async () => {
      const { customerId } = await payments.createCustomer({
        idempotencyKey: key('customer'),
        email: 'a@example.com',
      });
      genuine = await delivered('customer.created', customerId);
    });

    it('accepts the stand-in signature and reports events the platform does not act on as ignored', () => {
      expect(payments.parseWebhook(genuine.rawBody, genuine.signature)).toEqual({
        kind: 'ignored',
        stripeEventId: genuine.eventId,
        type: 'customer.created',
      });
      expect(genuine.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    });

    it('refuses a signature made with another secret, and a missing one', () => {
      const forged = Stripe.webhooks.generateTestHeaderString({
        payload: genuine.rawBody.toString('utf8'),
        secret: 'whsec_someone_else',
      });
      expect(() => payments.parseWebhook(genuine.rawBody, forged)).toThrow(InvalidWebhookSignatureError);
      expect(() => payments.parseWebhook(genuine.rawBody, undefined)).toThrow(InvalidWebhookSignatureError);
    });

    it('refuses a body changed after signing', () => {
      const tampered = genuine.rawBody.toString('utf8').replace('"a@example.com"', '"mallory@example.com"');
      expect(tampered).not.toBe(genuine.rawBody.toString('utf8'));
      expect(() => payments.parseWebhook(tampered, genuine.signature)).toThrow(InvalidWebhookSignatureError);
    });

    it('refuses a signature older than five minutes but accepts one just inside', () => {
      const payload = genuine.rawBody.toString('utf8');
      const now = Math.floor(Date.now() / 1000);
      const stale = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: WEBHOOK_SECRET,
        timestamp: now - 301,
      });
      const recent = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: WEBHOOK_SECRET,
        timestamp: now - 290,
      });
      expect(() => payments.parseWebhook(payload, stale)).toThrow(InvalidWebhookSignatureError);
      expect(payments.parseWebhook(payload, recent).stripeEventId).toBe(genuine.eventId);
    });
  });

  it('a cancelled order expires its checkout: checkout.session.expired, the page closes, repeating is harmless', async () => {
    const orderRef = `order-${randomUUID()}`;
    const { sessionId, url } = await checkout({ orderRef });

    expect(await payments.expireCheckout({ sessionId })).toEqual({ status: 'expired' });
    expect(await payments.expireCheckout({ sessionId })).toEqual({ status: 'expired' });

    const webhook = await delivered('checkout.session.expired', sessionId);
    expect(payments.parseWebhook(webhook.rawBody, webhook.signature)).toEqual({
      kind: 'checkoutExpired',
      stripeEventId: webhook.eventId,
      sessionId,
      orderRef,
      metadata: { orderRef },
    });
    expect((await fetch(url)).status).toBe(410);
    expect((await submitPayment(url, { outcome: 'pay' })).status).toBe(410);
  });

  it('expiring a checkout the patient already paid reports it complete', async () => {
    const { sessionId } = await checkout();
    await standIn.payCheckoutSession(sessionId);
    expect(await payments.expireCheckout({ sessionId })).toEqual({ status: 'complete' });
  });

  it('a declined card leaves the checkout open with an error, and a retry pays it', async () => {
    const orderRef = `order-${randomUUID()}`;
    const { sessionId, url } = await checkout({ orderRef });

    const declined = await submitPayment(url, { outcome: 'decline' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('<p role="alert">Your card was declined.</p>');
    expect(standIn.state.checkoutSessions.get(sessionId)?.status).toBe('open');

    const paymentIntentId = standIn.state.checkoutSessions.get(sessionId)?.payment_intent ?? '';
    const failedHook = await delivered('payment_intent.payment_failed', paymentIntentId);
    expect(payments.parseWebhook(failedHook.rawBody, failedHook.signature)).toMatchObject({
      kind: 'paymentFailed',
      paymentIntentId,
      declineCode: 'generic_decline',
      metadata: { orderRef },
    });

    expect((await submitPayment(url, { outcome: 'pay' })).status).toBe(303);
    const completed = await delivered('checkout.session.completed', sessionId);
    expect(payments.parseWebhook(completed.rawBody, completed.signature)).toMatchObject({
      paymentIntentId,
      paid: true,
    });
  });

  it('a card saved at checkout pays an instalment off-session, once per key; a later decline is an outcome', async () => {
    const { customerId } = await payments.createCustomer({
      idempotencyKey: key('customer'),
      email: 'p@example.com',
    });
    const { sessionId } = await checkout({
      customerId,
      customerEmail: undefined,
      saveCardForFutureCharges: true,
    });
    await standIn.payCheckoutSession(sessionId);

    const cards = await payments.listSavedCards(customerId);
    expect(cards).toEqual([
      {
        paymentMethodId: expect.stringMatching(/^pm_/),
        brand: 'visa',
        last4: '4242',
        expMonth: 12,
        expYear: 2034,
      },
    ]);

    const instalment = {
      idempotencyKey: key('instalment-2'),
      customerId,
      amountMinor: 5000,
      currency: 'usd' as const,
      metadata: { enrollment: 'enr-1', instalment: '2' },
    };
    const charged = await payments.chargeSavedCard(instalment);
    expect(charged).toEqual({ ok: true, paymentIntentId: expect.stringMatching(/^pi_/) });
    expect(await payments.chargeSavedCard(instalment)).toEqual(charged);
    const intents = [...standIn.state.paymentIntents.values()].filter(
      (intent) => intent.amount === 5000 && intent.customer === customerId,
    );
    expect(intents).toHaveLength(1);

    const succeeded = await delivered('payment_intent.succeeded', charged.ok ? charged.paymentIntentId : '');
    expect(payments.parseWebhook(succeeded.rawBody, succeeded.signature)).toMatchObject({
      kind: 'paymentSucceeded',
      customerId,
      paymentMethodId: cards[0]?.paymentMethodId,
      metadata: { instalment: '2' },
    });

    standIn.declineNextOffSessionCharge(customerId, 'insufficient_funds');
    const declined = await payments.chargeSavedCard({ ...instalment, idempotencyKey: key('instalment-3') });
    expect(declined).toEqual({
      ok: false,
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      paymentIntentId: expect.stringMatching(/^pi_/),
    });
    const failed = await delivered('payment_intent.payment_failed', declined.paymentIntentId ?? '');
    expect(payments.parseWebhook(failed.rawBody, failed.signature)).toMatchObject({
      kind: 'paymentFailed',
      declineCode: 'insufficient_funds',
    });
  });

  it('a first checkout without a customer creates one when the card is kept', async () => {
    const { sessionId } = await checkout({ saveCardForFutureCharges: true });
    await standIn.payCheckoutSession(sessionId);
    const webhook = await delivered('checkout.session.completed', sessionId);
    const event = payments.parseWebhook(webhook.rawBody, webhook.signature);
    const customerId = event.kind === 'checkoutCompleted' ? event.customerId : null;
    expect(customerId).toMatch(/^cus_/);
    expect(await payments.listSavedCards(customerId ?? '')).toHaveLength(1);
  });

  it('refunds succeed once per key and never exceed what was captured', async () => {
    const paymentIntentId = await paidPaymentIntent(4250);
    const partial = { idempotencyKey: key('refund'), paymentIntentId, amountMinor: 1500 };

    const first = await payments.refund(partial);
    expect(first).toEqual({
      refundId: expect.stringMatching(/^re_/),
      status: 'succeeded',
      amountMinor: 1500,
    });
    expect(await payments.refund(partial)).toEqual(first);
    // Past Stripe's 24-hour key window the key is forgotten: the refund is found by its metadata.
    standIn.forgetIdempotencyKeys();
    expect(await payments.refund(partial)).toEqual(first);
    await expect(
      payments.refund({ idempotencyKey: key('refund'), paymentIntentId, amountMinor: 3000 }),
    ).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'amount_too_large',
    });

    const rest = await payments.refund({ idempotencyKey: key('refund'), paymentIntentId });
    expect(rest).toMatchObject({ status: 'succeeded', amountMinor: 2750 });
    const again = payments.refund({ idempotencyKey: key('refund'), paymentIntentId });
    await expect(again).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(again).rejects.toMatchObject({ code: 'charge_already_refunded' });
    expect(standIn.listRefunds().filter((refund) => refund.payment_intent === paymentIntentId)).toHaveLength(
      2,
    );

    const webhook = await delivered('refund.created', first.refundId);
    expect(payments.parseWebhook(webhook.rawBody, webhook.signature)).toEqual({
      kind: 'refundSucceeded',
      stripeEventId: webhook.eventId,
      refundId: first.refundId,
      paymentIntentId,
      amountMinor: 1500,
      currency: 'usd',
      metadata: { idempotencyKey: partial.idempotencyKey },
    });
  });

  it('a refund the card network fails is accepted as pending, then reported as refundFailed', async () => {
    const paymentIntentId = await paidPaymentIntent(1000);
    standIn.failNextRefund();
    const refund = await payments.refund({
      idempotencyKey: key('refund'),
      paymentIntentId,
      reason: 'requested_by_customer',
    });
    expect(refund.status).toBe('pending');
    const webhook = await delivered('refund.failed', refund.refundId);
    expect(payments.parseWebhook(webhook.rawBody, webhook.signature)).toMatchObject({
      kind: 'refundFailed',
      refundId: refund.refundId,
      failureReason: 'expired_or_canceled_card',
    });
  });

  it('webhooks refused by the receiver are retried, and a redelivery keeps the event id', async () => {
    receiver.failNext(2);
    const { customerId } = await payments.createCustomer({ idempotencyKey: key('customer') });
    await standIn.webhooksIdle();
    const event = standIn
      .events()
      .find((e) => e.type === 'customer.created' && (e.data.object as { id: string }).id === customerId);
    const attempts = standIn.deliveries().filter((delivery) => delivery.eventId === event?.id);
    expect(attempts.map(({ attempt, outcome, status }) => ({ attempt, outcome, status }))).toEqual([
      { attempt: 1, outcome: 'failed', status: 500 },
      { attempt: 2, outcome: 'failed', status: 500 },
      { attempt: 3, outcome: 'delivered', status: 200 },
    ]);

    await standIn.resendEvent(event?.id ?? '');
    const copies = receiver.received().filter((webhook) => webhook.eventId === event?.id);
    expect(copies).toHaveLength(2);
    const parsed = copies.map((copy) => payments.parseWebhook(copy.rawBody, copy.signature).stripeEventId);
    expect(parsed).toEqual([event?.id, event?.id]);
  });

  it('Stripe answering 503 or 429 is VendorUnavailableError; the retry on the same key then succeeds', async () => {
    const request = { idempotencyKey: key('customer'), email: 'outage@example.com' };
    standIn.failNextRequests(1);
    await expect(payments.createCustomer(request)).rejects.toBeInstanceOf(VendorUnavailableError);
    standIn.failNextRequests(1, 429);
    await expect(payments.createCustomer(request)).rejects.toBeInstanceOf(VendorUnavailableError);
    expect((await payments.createCustomer(request)).customerId).toMatch(/^cus_/);
  });

  it('Stripe too slow to answer is VendorUnavailableError', async () => {
    const impatient = createStripeGateway({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiBase: standIn.url,
      timeoutMs: 100,
    });
    standIn.delayNextRequests(1, 500);
    await expect(impatient.createCustomer({ idempotencyKey: key('customer') })).rejects.toBeInstanceOf(
      VendorUnavailableError,
    );
  });

  it('Stripe unreachable is VendorUnavailableError', async () => {
    const nowhere = createStripeGateway({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiBase: `http://127.0.0.1:${await freePort()}`,
    });
    const attempt = nowhere.createCustomer({ idempotencyKey: key('customer') });
    await expect(attempt).rejects.toBeInstanceOf(VendorUnavailableError);
    await expect(attempt).rejects.toMatchObject({ vendor: 'stripe' });
  });

  it('a key the stand-in refuses is VendorRejectedError, never retried', async () => {
    const live = createStripeGateway({
      secretKey: 'sk_live_not_here',
      webhookSecret: WEBHOOK_SECRET,
      apiBase: standIn.url,
    });
    await expect(live.createCustomer({ idempotencyKey: key('customer') })).rejects.toBeInstanceOf(
      VendorRejectedError,
    );
  });
});

describe('checkout expiry on the stand-in clock', () => {
  it('a session left unpaid past expires_at expires on its own and the platform hears of it', async () => {
    const clock = manualClock(new Date());
    const receiver = await startWebhookReceiver();
    const standIn = await startStripeStandIn({
      webhookUrl: receiver.url,
      webhookSecret: WEBHOOK_SECRET,
      clock,
    });
    try {
      const payments = createStripeGateway({
        secretKey: SECRET_KEY,
        webhookSecret: WEBHOOK_SECRET,
        apiBase: standIn.url,
        clock,
      });
      const { sessionId, expiresAt } = await payments.createCheckout({
        idempotencyKey: key('checkout'),
        orderRef: 'order-expiring',
        amountMinor: 1200,
        currency: 'gbp',
        description: 'Consultation',
        successUrl: 'https://pharmacy.example/ok',
        cancelUrl: 'https://pharmacy.example/cancel',
        expiresAt: new Date(clock.now().getTime() + 45 * MINUTE),
      });
      expect(new Date(expiresAt).getTime()).toBe(
        Math.floor((clock.now().getTime() + 45 * MINUTE) / 1000) * 1000,
      );

      clock.advance(44 * MINUTE);
      standIn.sweepExpiredSessions();
      expect(standIn.state.checkoutSessions.get(sessionId)?.status).toBe('open');

      clock.advance(2 * MINUTE);
      standIn.sweepExpiredSessions();
      const webhook = await receiver.waitFor((w) => w.type === 'checkout.session.expired');
      // Signed at the stand-in's time and checked at the platform's: both read the same clock.
      expect(payments.parseWebhook(webhook.rawBody, webhook.signature)).toMatchObject({
        kind: 'checkoutExpired',
        sessionId,
        orderRef: 'order-expiring',
      });
    } finally {
      await standIn.close();
      await receiver.close();
    }
  });
});

describe('form bodies in Stripe bracket notation', () => {
  it('nests objects and orders arrays by index', () => {
    const body = parseFormBody(
      'mode=payment&line_items[1][quantity]=2&line_items[0][price_data][unit_amount]=4250&line_items[0][quantity]=1&metadata[orderRef]=o%2D1&expand[]=customer&expand[]=payment_intent',
    );
    expect(body).toEqual({
      mode: 'payment',
      line_items: [{ price_data: { unit_amount: '4250' }, quantity: '1' }, { quantity: '2' }],
      metadata: { orderRef: 'o-1' },
      expand: ['customer', 'payment_intent'],
    });
  });

  it('drops keys that would reach the prototype', () => {
    const body = parseFormBody('__proto__[polluted]=yes&metadata[constructor]=x&a=1');
    expect(body).toEqual({ a: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
