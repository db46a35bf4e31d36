import type { Browser, Locator, Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookPayload } from '../../sandbox/stripe/webhooks.js';
import { eventually, newRxWith } from '../support/platformHarness.js';
import { type Api, insurance, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';
import {
  expectNoHorizontalOverflow,
  launchChromium,
  newPerson,
  PHONE,
  screenshot,
  screenshotOf,
  signIn,
} from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

// Money and ways out on the ops order page, driven in Chromium against the whole platform: every
// action is sent from its form, the irreversible ones only after the page asked, and what the
// page then shows is checked against what the API and Stripe recorded.

let platform: WebPlatform;
let browser: Browser;
let steps: ReturnType<typeof prescriptionSteps>;
let api: Api;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
  steps = prescriptionSteps(platform);
  api = steps.api;
  await api.signIn(platform.staff.ops.email, platform.staff.ops.password);
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

const detail = async (orderId: string) => (await api.get(`/api/orders/${orderId}`)).body;
const eventTypes = async (orderId: string) =>
  (
    await platform.db.pool.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_name = $1 ORDER BY stream_revision',
      [`order-${orderId}`],
    )
  ).rows.map((r) => r.event_type);
const dollars = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

/** Enrolled (a member id of its own, so the payer's accumulators leave the amount alone), routed. */
const selectedOrder = async (messageId: string, replace: Record<string, string> = {}) => {
  const orderId = await steps.intake(await newRxWith(messageId, replace));
  await waitForStatus(api, orderId, 'validated');
  await steps.enroll(await steps.startEnrollment(orderId), `M${messageId.replaceAll(/\W/g, '')}`);
  await steps.selectBestPharmacy(orderId);
  return orderId;
};
const shippedOrder = async (messageId: string) => {
  const orderId = await selectedOrder(messageId);
  await steps.pay(orderId);
  await waitForStatus(api, orderId, 'shipped');
  return orderId;
};
const amountDue = async (orderId: string) =>
  (await detail(orderId)).adjudication.patientPaysAfterCouponMinor as number;

const opsOnOrder = async (orderId: string) => {
  const person = await newPerson(browser, platform.url);
  await signIn(person.page, platform.staff.ops);
  await person.page.goto(`/orders/${orderId}`);
  await person.page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
  return person;
};
const isFocused = (locator: Locator) =>
  locator.evaluate((el) => (el as unknown as { matches(selector: string): boolean }).matches(':focus'));
const detailStatus = (page: Page, label: string) => page.locator('.order-summary .badge', { hasText: label });
const moneySection = (page: Page) => page.getByRole('region', { name: 'Money' });
const ledgerEntry = (page: Page, kind: string) =>
  moneySection(page).getByRole('list', { name: 'Payments and refunds' }).locator(`li[data-kind="${kind}"]`);

describe('money and ways out on the ops order page', () => {
  it('cancels a paid order whose delivery failed: asks first, refunds everything, and shows the refund settle', async () => {
    const orderId = await shippedOrder('WEB-MONEY-1');
    const due = await amountDue(orderId);
    const { trackingNumber } = (await detail(orderId)).shipment;
    await platform.standIns.shippo.advanceTracking(trackingNumber, 'FAILURE', {
      details: 'Address not found',
    });
    await waitForStatus(api, orderId, 'delivery_exception');

    const { page, context } = await opsOnOrder(orderId);
    await detailStatus(page, 'Delivery exception').waitFor();
    await moneySection(page)
      .getByText(`Charged ${dollars(due)} − refunded $0.00 = kept ${dollars(due)}`)
      .waitFor();
    await ledgerEntry(page, 'order').getByText(dollars(due)).waitFor();

    // The first press only asks; going back sends nothing.
    const cancel = page.getByRole('region', { name: 'Cancel the order' });
    await cancel.getByLabel('Reason').fill('Patient moved abroad');
    await cancel.getByRole('button', { name: 'Cancel order…' }).click();
    const ask = cancel.getByRole('alertdialog', { name: 'Cancel this order?' });
    await ask.getByText(`${dollars(due)} the patient paid is refunded to their card.`).waitFor();
    await expect(isFocused(ask)).resolves.toBe(true);
    await ask.getByRole('button', { name: 'Go back' }).click();
    await ask.waitFor({ state: 'detached' });
    await expect(isFocused(cancel.getByRole('button', { name: 'Cancel order…' }))).resolves.toBe(true);
    expect(await eventTypes(orderId)).not.toContain('OrderCancelled');

    await cancel.getByRole('button', { name: 'Cancel order…' }).click();
    await cancel.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await detailStatus(page, 'Cancelled').waitFor({ timeout: 30_000 });
    const refund = ledgerEntry(page, 'cancellation');
    await refund.locator('[data-status="settled"]').waitFor({ timeout: 30_000 });
    await refund.getByText('Patient moved abroad').waitFor();
    await moneySection(page)
      .getByText(`Charged ${dollars(due)} − refunded ${dollars(due)} = kept $0.00`)
      .waitFor();
    await page.getByText('No action is needed from ops in this status.').waitFor();
    await screenshotOf(moneySection(page), '21-money-cancelled-refunded');

    // Stripe refunded it once, for the whole amount.
    const paymentIntentId = (await detail(orderId)).money.payments[0].paymentIntentId;
    expect(
      platform.standIns.stripe
        .listRefunds()
        .filter((r) => r.payment_intent === paymentIntentId)
        .map((r) => r.amount),
    ).toEqual([due]);

    // The patient's page says so, and offers no way to pay.
    const bill = platform.standIns.mailbox
      .messages()
      .find((m) => m.subject === 'Your copay is ready to pay' && (m.text ?? '').includes(orderId))!;
    const statusUrl = /http:\/\/127\.0\.0\.1:\d+\/orders\/[^\s?#]+#token=\S+/.exec(bill.text ?? '')![0];
    const patient = await newPerson(browser, platform.url, PHONE);
    await patient.page.goto(statusUrl);
    await patient.page.getByText('This order was cancelled.').waitFor();
    await patient.page
      .getByText(new RegExp(`^${dollars(due).replace('$', '\\$')} refunded on .+\\.$`))
      .waitFor();
    await expect(patient.page.getByRole('link', { name: 'Pay now' }).count()).resolves.toBe(0);
    await expectNoHorizontalOverflow(patient.page);
    await screenshot(patient.page, '22-patient-status-refunded-phone');
    await Promise.all([context.close(), patient.context.close()]);
  }, 120_000);

  it('records a delivery heard from the carrier by phone, and the order completes', async () => {
    const orderId = await shippedOrder('WEB-MONEY-2');
    const { page, context } = await opsOnOrder(orderId);
    const record = page.getByRole('region', { name: 'Record a delivery status' });
    await record.waitFor();
    // A parcel just shipped can be reported at any later step, never at one it already passed.
    await expect(record.getByLabel('Status').locator('option').allTextContents()).resolves.toEqual([
      'In transit',
      'Out for delivery',
      'Delivered',
      'Delivery failed',
      'Returned to the pharmacy',
    ]);
    await screenshot(page, '26-order-detail-shipped-actions');
    // The patient called with a new phone number: corrected from its folded form, shown as corrected.
    const contact = page.getByRole('region', { name: 'Correct contact details' });
    await contact.getByText('Change the delivery address, phone or e-mail').click();
    await contact.getByLabel('Phone').fill('512-555-0100');
    await contact.getByLabel('Reason').fill('Patient called with a new number');
    await contact.getByRole('button', { name: 'Save contact details' }).click();
    await page.getByText('Contact details corrected.').waitFor();
    await page.getByRole('region', { name: 'Patient' }).getByText('512-555-0100').waitFor();
    expect((await detail(orderId)).contact.phone).toBe('512-555-0100');
    await record.getByLabel('Status').selectOption('delivered');
    await record
      .getByLabel('What the carrier said')
      .fill('UPS confirmed delivery by phone, left with neighbour');
    await record.getByRole('button', { name: 'Record delivery status' }).click();
    await detailStatus(page, 'Completed').waitFor({ timeout: 30_000 });
    await page.getByRole('list', { name: 'Tracking' }).getByText('Delivered').waitFor();
    const tracking = (await detail(orderId)).tracking;
    expect(tracking.at(-1)).toMatchObject({
      status: 'delivered',
      details: 'UPS confirmed delivery by phone, left with neighbour',
    });
    await context.close();
  }, 120_000);

  it('refunds part of a paid order: dollars typed, exact cents sent, bounded by what was paid', async () => {
    const orderId = await shippedOrder('WEB-MONEY-3');
    const due = await amountDue(orderId);
    const { page, context } = await opsOnOrder(orderId);
    const refund = page.getByRole('region', { name: 'Refund part of the payment' });
    await refund.getByText(`Up to ${dollars(due)} can be refunded.`).waitFor();

    // What the page refuses never leaves it.
    const amount = refund.getByLabel('Amount to refund (USD)');
    await refund.getByLabel('Reason').fill('Coupon applied after payment');
    await amount.fill('12.345');
    await refund.getByRole('button', { name: 'Refund…' }).click();
    await refund.getByText('Give at most two digits after the decimal point.').waitFor();
    await expect(amount.getAttribute('aria-invalid')).resolves.toBe('true');
    await amount.fill(dollars(due + 1));
    await refund.getByRole('button', { name: 'Refund…' }).click();
    await refund.getByText(`At most ${dollars(due)} can be refunded.`).waitFor();
    expect(await eventTypes(orderId)).not.toContain('RefundRequested');

    // 0.29 × 100 is not 29 in floating point: the page must send exactly 2,529 cents.
    await amount.fill('25.29');
    await refund.getByRole('button', { name: 'Refund…' }).click();
    await refund.getByRole('alertdialog', { name: 'Refund $25.29 to the patient?' }).waitFor();
    await refund.getByRole('button', { name: 'Yes, refund $25.29' }).click();
    await page.getByText('Refund of $25.29 requested; Stripe confirms it shortly.').waitFor();
    const entry = ledgerEntry(page, 'partial');
    await entry.locator('[data-status="settled"]').waitFor({ timeout: 30_000 });
    await entry.getByText('Coupon applied after payment').waitFor();
    await moneySection(page)
      .getByText(`Charged ${dollars(due)} − refunded $25.29 = kept ${dollars(due - 2_529)}`)
      .waitFor();
    await detailStatus(page, 'Shipped').waitFor();
    await refund.getByText(`Up to ${dollars(due - 2_529)} can be refunded.`).waitFor();
    expect((await detail(orderId)).money.refunds).toMatchObject([
      { amountMinor: 2_529, kind: 'partial', status: 'settled' },
    ]);
    await screenshotOf(moneySection(page), '23-money-partial-refund');
    await context.close();
  }, 120_000);

  it('shows a payment of the wrong amount prominently, and ships once ops accept it', async () => {
    const orderId = await selectedOrder('WEB-MONEY-4');
    await waitForStatus(api, orderId, 'awaiting_payment');
    const due = await amountDue(orderId);
    // A real checkout for one dollar less, made at Stripe with the order's reference.
    const stripe = new Stripe(platform.standIns.env.STRIPE_SECRET_KEY!, {
      host: '127.0.0.1',
      port: Number(new URL(platform.standIns.stripe.url).port),
      protocol: 'http',
    });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: due - 100, product_data: { name: 'x' } } },
      ],
      success_url: 'http://x/ok',
      client_reference_id: orderId,
      metadata: { flow: 'prescription', orderId },
    });
    await platform.standIns.stripe.payCheckoutSession(session.id);
    await waitForStatus(api, orderId, 'payment_mismatch');

    const { page, context } = await opsOnOrder(orderId);
    const held = moneySection(page).getByRole('region', {
      name: 'Payment does not match the amount asked for',
    });
    await held.waitFor();
    const banner = await held.textContent();
    expect(banner).toContain(`Expected${dollars(due)}`);
    expect(banner).toContain(`Received${dollars(due - 100)}`);
    await page
      .locator('.order-summary')
      .getByText(`received ${dollars(due - 100)}, expected ${dollars(due)}`)
      .waitFor();
    await screenshotOf(moneySection(page), '24-money-payment-mismatch');

    const accept = page.getByRole('region', { name: 'Accept the payment as it is' });
    await accept.getByLabel('Reason').fill('Pharmacy waives the $1.00 difference');
    await accept.getByRole('button', { name: 'Accept payment…' }).click();
    await accept
      .getByRole('alertdialog', { name: `Accept ${dollars(due - 100)} instead of ${dollars(due)}?` })
      .waitFor();
    await accept.getByRole('button', { name: 'Yes, accept the payment' }).click();
    await detailStatus(page, 'Shipped').waitFor({ timeout: 30_000 });
    await expect(held.count()).resolves.toBe(0);
    await context.close();
  }, 120_000);

  it('reships a failed delivery to a corrected US address entered on the page', async () => {
    const orderId = await shippedOrder('WEB-MONEY-5');
    const { trackingNumber } = (await detail(orderId)).shipment;
    await platform.standIns.shippo.advanceTracking(trackingNumber, 'FAILURE', {
      details: 'Address not found',
    });
    await waitForStatus(api, orderId, 'delivery_exception');
    const { page, context } = await opsOnOrder(orderId);
    const reship = page.getByRole('region', { name: 'Delivery exception: ship again' });
    await reship.getByLabel('Ship to a new address').check();
    const address = reship.getByRole('group', { name: 'New delivery address' });
    await address.getByLabel('Street address').fill('400 Congress Ave');
    await address.getByLabel('City').fill('Austin');
    await address.getByLabel('State').fill('Texas');
    await address.getByLabel('ZIP code').fill('787');
    await reship.getByLabel('Reason').fill('Patient gave the right address by phone');
    await reship.getByRole('button', { name: 'Reship order' }).click();
    await address.getByText('Enter the two-letter state code, for example TX.').waitFor();
    await address.getByText('Enter a 5-digit ZIP code, or ZIP+4.').waitFor();
    await address.getByLabel('State').fill('tx');
    await address.getByLabel('ZIP code').fill('78701');
    await reship.getByRole('button', { name: 'Reship order' }).click();
    await detailStatus(page, 'Shipped').waitFor({ timeout: 30_000 });
    await page
      .getByRole('region', { name: 'Patient' })
      .getByText('400 Congress Ave, Austin TX 78701')
      .waitFor();
    expect((await detail(orderId)).contact.address).toMatchObject({
      line1: '400 Congress Ave',
      city: 'Austin',
      state: 'TX',
      postalCode: '78701',
    });
    await context.close();
  }, 120_000);

  it('records a prior authorization received by phone: the claim goes again with it, and it stays on file', async () => {
    // Stelara needs a PA under the test plan: the first claim is rejected (75).
    const orderId = await selectedOrder('WEB-MONEY-6', {
      '<Code>00074055402</Code>': '<Code>57894006003</Code>',
    });
    await waitForStatus(api, orderId, 'adjudication_rejected');
    const granted = await fetch(`${platform.standIns.payer.url}/sandbox/prior-authorizations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.standIns.payer.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...insurance, memberId: 'MWEBMONEY6', ndc11: '57894006003' }),
    });
    const { priorAuthorizationNumber } = (await granted.json()) as { priorAuthorizationNumber: string };

    const { page, context } = await opsOnOrder(orderId);
    const pa = page.getByRole('region', { name: 'Record a prior authorization' });
    await pa.getByLabel('PA number').fill(priorAuthorizationNumber);
    await pa.getByLabel('Received by').selectOption('phone');
    await pa.getByLabel('Note (optional)').fill('Approved by the plan’s PA desk');
    await pa.getByRole('button', { name: 'Record and resubmit claim' }).click();
    await detailStatus(page, 'Awaiting payment').waitFor({ timeout: 30_000 });
    await page
      .getByRole('region', { name: 'Adjudication' })
      .getByText(`Prior authorization on file: ${priorAuthorizationNumber}, received by phone`)
      .waitFor();
    expect((await detail(orderId)).priorAuthorization).toMatchObject({
      number: priorAuthorizationNumber,
      receivedVia: 'phone',
    });
    await context.close();
  }, 120_000);

  it('lists every open vendor call of an order, one per call: two refunds stuck at Stripe are two incidents', async () => {
    const orderId = await shippedOrder('WEB-MONEY-7');
    platform.standIns.stripe.failNextRequests(1_000);
    try {
      for (const amountMinor of [1_000, 2_000])
        expect(
          (await api.post(`/api/orders/${orderId}/refund`, { amountMinor, reason: 'goodwill after a delay' }))
            .status,
        ).toBe(200);
      await eventually(
        async () => (await detail(orderId)).incidents.length === 2,
        'two incidents, one per refund call',
      );
      const { page, context } = await opsOnOrder(orderId);
      const incidents = page
        .getByRole('region', { name: 'Integration incidents' })
        .getByRole('list', { name: 'Open vendor calls' });
      const waiting = incidents.locator('li[data-state="pending_api_unavailable"]');
      await waiting.nth(1).waitFor();
      await expect(waiting.count()).resolves.toBe(2);
      // Both refunds wait: the ledger shows them in progress, not refunded.
      await moneySection(page).getByText('Refund in progress: $30.00').waitFor();
      // The incidents page lists both too, each linking to the order.
      await page.goto('/operations/incidents');
      const open = page.getByRole('region', { name: 'Open vendor calls' });
      await open.getByRole('link', { name: orderId }).first().waitFor();
      await expect(open.getByRole('link', { name: orderId }).count()).resolves.toBe(2);
      await context.close();
    } finally {
      platform.standIns.stripe.failNextRequests(0);
    }
  }, 120_000);

  it('lists a payment no order could take on the incidents page', async () => {
    const payload = JSON.stringify({
      id: `evt_web_unmatched_${Date.now()}`,
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_web_unmatched',
          object: 'checkout.session',
          client_reference_id: '01JX0000000000000000000000',
          metadata: { flow: 'prescription', orderId: '01JX0000000000000000000000' },
          payment_intent: 'pi_web_unmatched',
          amount_total: 4_200,
          currency: 'usd',
          payment_status: 'paid',
          status: 'complete',
        },
      },
    });
    const signature = signWebhookPayload(
      payload,
      platform.standIns.env.STRIPE_WEBHOOK_SECRET!,
      Math.floor(Date.now() / 1000),
    );
    const answer = await api.post('/webhook/stripe', payload, {
      'content-type': 'application/json',
      'stripe-signature': signature,
    });
    expect(answer.status).toBe(200);
    await eventually(
      async () =>
        (await api.get('/api/operations/unmatched-payments')).body.items.some(
          (i: { paymentIntentId: string }) => i.paymentIntentId === 'pi_web_unmatched',
        ),
      'the unmatched payment',
    );

    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.goto('/operations/incidents');
    const unmatched = page.getByRole('region', { name: 'Unmatched payments' });
    const item = unmatched.locator('li', { hasText: 'pi_web_unmatched' });
    await item.getByText('$42.00').waitFor();
    await item.getByText('unknown order').waitFor();
    await item.getByText('01JX0000000000000000000000').waitFor();
    await screenshot(page, '25-console-unmatched-payments');
    await context.close();
  }, 60_000);
});
