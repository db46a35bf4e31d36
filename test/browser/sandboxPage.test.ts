import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRxWith } from '../support/platformHarness.js';
import { prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

let platform: WebPlatform;
let browser: Browser;
let steps: ReturnType<typeof prescriptionSteps>;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
  steps = prescriptionSteps(platform);
  await steps.api.signIn(platform.staff.ops.email, platform.staff.ops.password);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

const SAMPLE_NDC = '<Code>00074055402</Code>';
const STELARA = '57894006003';

/** An order enrolled through the API with a member id of its own, ready for the router. */
const enrolledOrder = async (messageId: string, memberId: string, replace: Record<string, string> = {}) => {
  const orderId = await steps.intake(await newRxWith(messageId, replace));
  await waitForStatus(steps.api, orderId, 'validated');
  await steps.enroll(await steps.startEnrollment(orderId), memberId);
  return orderId;
};

const openSandbox = async (page: Page, orderId: string) => {
  await page.goto('/sandbox');
  await page.getByRole('heading', { name: 'Sandbox controls' }).waitFor();
  await page.getByLabel('Order id').fill(orderId);
};

/** Clicks a control and waits for the page to report the server's answer. */
const click = async (page: Page, button: string, reported: string) => {
  const outcome = page.locator('.sandbox-outcome');
  await page.getByRole('button', { name: button, exact: true }).click();
  await outcome.getByText(reported).waitFor();
  return (await outcome.textContent()) ?? '';
};

describe('the sandbox page drives the vendors', () => {
  it('advances a US parcel from the page until the order is completed', async () => {
    const orderId = await enrolledOrder(`sandbox-page-us-${Date.now()}`, 'EVG-PAGE-1');
    await steps.selectBestPharmacy(orderId);
    const { page } = await newPerson(browser, platform.url);
    await openSandbox(page, orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    await click(page, 'Pay checkout', 'Checkout pay');
    await waitForStatus(steps.api, orderId, 'shipped');

    for (const [status, seen] of [
      ['TRANSIT', 'in_transit'],
      ['OUT_FOR_DELIVERY', 'out_for_delivery'],
      ['DELIVERED', 'completed'],
    ] as const) {
      await page.getByLabel('Carrier status').selectOption(status);
      const text = await click(page, 'Advance parcel', status);
      expect(text).toContain('Parcel advanced');
      await waitForStatus(steps.api, orderId, seen);
    }
    await screenshot(page, 'sandbox');
  });

  it('grants a prior authorisation from the page, which takes the rejected claim to payment', async () => {
    const orderId = await enrolledOrder(`sandbox-page-pa-${Date.now()}`, 'EVG-PAGE-2', {
      [SAMPLE_NDC]: `<Code>${STELARA}</Code>`,
    });
    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'adjudication_rejected');

    const { page } = await newPerson(browser, platform.url);
    await openSandbox(page, orderId);
    const text = await click(page, 'Grant PA', 'granted');
    const number = /PA\d{8}/.exec(text)?.[0];
    expect(number).toBeTruthy();

    // Ops records the number the plan gave, on the order page, as they would after the call.
    const ops = await newPerson(browser, platform.url);
    await signIn(ops.page, platform.staff.ops);
    await ops.page.goto(`/orders/${orderId}`);
    await ops.page.getByLabel('PA number').fill(number!);
    await ops.page.getByRole('button', { name: 'Record and resubmit claim' }).click();
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
  });

  it('tells a visitor when the server runs no sandbox', async () => {
    const { page } = await newPerson(browser, platform.url);
    await page.route('**/sandbox/api', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: '{"status":404,"title":"Not Found"}',
      }),
    );
    await page.goto('/sandbox');
    await page.getByText('This server does not run the sandbox').waitFor();
  });
});
