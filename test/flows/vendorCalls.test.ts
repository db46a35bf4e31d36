import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, manualClock } from '../../src/platform/clock.js';
import { notificationsProcess } from '../../src/processes/prescription/notifications.js';
import { paymentProcess } from '../../src/processes/prescription/payment.js';
import { type Harness, startHarness } from '../support/platformHarness.js';
import { type Api, prescriptionSteps, statusOf, waitForStatus } from '../support/prescriptionSteps.js';

// Vendor calls seen one by one: two stuck calls of one order are two incidents, and an e-mail
// whose event is delivered again (the process died before its checkpoint) is sent once.

const clock = manualClock(new Date());
let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let api: Api;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = prescriptionSteps(harness);
  api = steps.api;
  await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const settle = async () => {
  await harness.composition.platform.timers.tick();
  await harness.composition.platform.drain();
  await harness.composition.platform.drain();
  // E-mails leave through the outbox, after the event that asked for them.
  await harness.composition.outbox.drain();
};

const shippedOrder = async (messageId: string) => {
  const orderId = await steps.validatedOrder(messageId);
  await steps.enroll(await steps.startEnrollment(orderId), `M${messageId.replaceAll('-', '')}`);
  await steps.selectBestPharmacy(orderId);
  await steps.pay(orderId);
  await settle();
  await waitForStatus(api, orderId, 'shipped');
  return orderId;
};

describe('incidents are kept per vendor call', () => {
  it('8. shows two failing calls of one order as two incidents, and one recovering leaves the other in sight', async () => {
    const orderId = await shippedOrder('CALLS-8');
    const tracking = (await api.get(`/api/orders/${orderId}`)).body.shipment.trackingNumber;
    await harness.standIns.shippo.advanceTracking(tracking, 'FAILURE');
    await settle();
    await waitForStatus(api, orderId, 'delivery_exception');

    // Stripe and Shippo both down: a partial refund and a reshipment each fail.
    harness.standIns.stripe.failNextRequests(1);
    harness.standIns.shippo.failNextRequests(100);
    expect(
      (await api.post(`/api/orders/${orderId}/refund`, { amountMinor: 500, reason: 'delay' })).status,
    ).toBe(200);
    expect((await api.post(`/api/orders/${orderId}/reship`, { reason: 'ship again' })).status).toBe(200);
    await settle();

    const incidents = async () =>
      (
        (await api.get('/api/operations/incidents')).body.items as {
          stream_name: string;
          integration: string;
        }[]
      )
        .filter((i) => i.stream_name === `order-${orderId}`)
        .map((i) => i.integration)
        .sort();
    expect(await incidents()).toEqual(['shippo', 'stripe']);
    expect(
      (await api.get(`/api/orders/${orderId}`)).body.incidents
        .map((i: { integration: string }) => i.integration)
        .sort(),
    ).toEqual(['shippo', 'stripe']);

    // Five minutes on, Stripe answers again; Shippo does not.
    clock.advance(5 * MINUTE);
    await settle();
    await settle();
    expect(await incidents()).toEqual(['shippo']);
    const view = (await api.get(`/api/orders/${orderId}`)).body;
    expect(view.incidents.map((i: { integration: string }) => i.integration)).toEqual(['shippo']);
    expect(view.pending).toBe('pending (API unavailable)');
    harness.standIns.shippo.failNextRequests(0);
  });
});

describe('checkout', () => {
  it('opens one checkout when its trigger is delivered again later (a crash before the checkpoint)', async () => {
    const orderId = await steps.validatedOrder('CALLS-CHECKOUT');
    await steps.enroll(await steps.startEnrollment(orderId), 'MCALLSCHECKOUT');
    await steps.selectBestPharmacy(orderId);
    await settle();
    await waitForStatus(api, orderId, 'awaiting_payment');
    const sessionsOf = () =>
      [...harness.standIns.stripe.state.checkoutSessions.values()].filter(
        (s) => s.metadata.orderId === orderId,
      );
    expect(sessionsOf()).toHaveLength(1);
    const events = await harness.composition.platform.store.readStream(`order-${orderId}`);
    const adjudicated = events.find((e) => e.type === 'ClaimAdjudicated')!;
    // The process died after Stripe answered and before its checkpoint; it runs again a little
    // later. The retry must ask Stripe exactly what the first attempt asked under the same key.
    clock.advance(2 * MINUTE);
    const { composition } = harness;
    const pm = paymentProcess({
      commands: composition.commands,
      catalogue: composition.catalogue,
      pool: composition.platform.db.pool,
      clock,
      mailer: composition.outbox.mailer,
      pharmacyName: 'Northfield Specialty Pharmacy',
      payments: composition.vendors.payments,
      carrier: composition.vendors.carrier,
      adjudicator: composition.vendors.adjudicator,
      linkSecret: composition.linkSecret,
      publicUrl: composition.publicUrl,
      trackingPollMs: MINUTE,
      paymentCheckMs: MINUTE,
    });
    expect(await composition.platform.processes.deliver(pm, adjudicated)).toBe('handled');
    expect(sessionsOf()).toHaveLength(1);
    expect(await statusOf(api, orderId)).toBe('awaiting_payment');
  });
});

describe('e-mail', () => {
  it('9. sends the e-mail of an event once when the event is delivered again', async () => {
    const orderId = await shippedOrder('CALLS-9');
    const events = await harness.composition.platform.store.readStream(`order-${orderId}`);
    const shipped = events.find((e) => e.type === 'ShippingLabelPurchased')!;
    const count = () =>
      harness.standIns.mailbox
        .messages()
        .filter((m) => m.subject === 'Your order has shipped' && m.text?.includes(orderId)).length;
    await settle();
    expect(count()).toBe(1);
    // The process died after sending and before its checkpoint: the event comes again.
    const { composition } = harness;
    const pm = notificationsProcess({
      commands: composition.commands,
      catalogue: composition.catalogue,
      pool: composition.platform.db.pool,
      clock,
      mailer: composition.outbox.mailer,
      pharmacyName: 'Northfield Specialty Pharmacy',
      payments: composition.vendors.payments,
      carrier: composition.vendors.carrier,
      adjudicator: composition.vendors.adjudicator,
      linkSecret: composition.linkSecret,
      publicUrl: composition.publicUrl,
      trackingPollMs: MINUTE,
      paymentCheckMs: MINUTE,
    });
    await composition.platform.processes.deliver(pm, shipped);
    await composition.platform.processes.deliver(pm, shipped);
    await settle();
    expect(count()).toBe(1);
  });
});
