import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/platform/clock.js';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';
import { cardPng } from './support/png.js';

/**
 * The platform runs three hours behind the browser, so its orders have sat in their status for
 * hours as the console sees them; moving the clock forward walks a vendor outage through its
 * retry schedule (5 min, 30 min, 2 h) to manual handling.
 */
let offset = -3 * HOUR;
const clock = { now: () => new Date(Date.now() + offset) };

let platform: WebPlatform;
let browser: Browser;

beforeAll(async () => {
  // Ops watches one console page while the clock jumps hours through the retry schedule: the
  // sessions' idle timeout is not what this file checks.
  [platform, browser] = await Promise.all([
    startWebPlatform({ clock, env: { STAFF_IDLE_TIMEOUT_MINUTES: '1440', STAFF_SESSION_HOURS: '72' } }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** Ops' API calls, with a bearer session, to bring an order to the step this test is about. */
const opsApi = async () => {
  const login = await fetch(`${platform.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(platform.staff.ops),
  });
  const { token } = (await login.json()) as { token: string };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  return call;
};

const eventTypes = async (orderId: string) =>
  (
    await platform.db.pool.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_name = $1 ORDER BY stream_revision',
      [`order-${orderId}`],
    )
  ).rows.map((r) => r.event_type);

const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const count = async (orderId: string, type: string) =>
  (await eventTypes(orderId)).filter((t) => t === type).length;

const row = (page: Page, orderId: string) => page.locator(`li.order[data-order-id="${orderId}"]`);

describe('orders that need a person', () => {
  it('marks a vendor outage on the console, flags it for manual handling, and retries it from the order', async () => {
    const api = await opsApi();
    const orderId = await platform.intake();
    await until('validation', async () => (await eventTypes(orderId)).includes('PrescriptionValidated'));
    await api('POST', `/api/orders/${orderId}/enrollment`, {});
    const mail = await platform.standIns.mailbox.waitFor(
      (m) => m.subject === 'Complete your prescription enrollment',
      30_000,
    );
    const token = /\/enroll\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    const patient = { 'x-enrollment-token': token, 'content-type': 'image/png' };
    for (const side of ['front', 'back'])
      await api('PUT', `/api/patient/enrollment/cards/${side}`, cardPng(), patient);
    const consent = (await api('GET', '/api/patient/enrollment', undefined, { 'x-enrollment-token': token }))
      .consent as { version: string };
    await api(
      'POST',
      '/api/patient/enrollment',
      {
        insurance: {
          memberId: 'EVG123456',
          bin: '610014',
          pcn: 'CommPlanA',
          group: 'EVG1001',
          cardholderName: 'Adaeze Okafor',
          relationship: '1',
        },
        consent: { accepted: true, version: consent.version, signedName: 'Adaeze Okafor' },
      },
      { 'x-enrollment-token': token },
    );
    await until('recommendations', async () => (await eventTypes(orderId)).includes('PharmaciesRecommended'));
    // The order's read model may trail the event by a moment: wait until it shows them too.
    let detail: Record<string, unknown> = {};
    await until('recommendations in the order view', async () => {
      detail = await api('GET', `/api/orders/${orderId}`);
      return Array.isArray(detail.recommendations) && detail.recommendations.length > 0;
    });
    const [best] = detail.recommendations as { pharmacyId: string }[];

    // Ops watches the console. Stripe is down when the payment link is due.
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.locator('.live[data-live-state="live"]').waitFor();
    platform.standIns.stripe.failNextRequests(1_000);
    await api('POST', `/api/orders/${orderId}/pharmacy`, { pharmacyId: best!.pharmacyId });
    await until('a failed call', async () => (await count(orderId, 'IntegrationCallFailed')) === 1);
    await row(page, orderId).getByText('pending (API unavailable)').waitFor({ timeout: 15_000 });

    // Three hours in one status: within the default 24 h SLA, past a 2 h one, which the page remembers.
    await expect(
      row(page, orderId)
        .getByText(/Over SLA/)
        .count(),
    ).resolves.toBe(0);
    await page.getByLabel('SLA (hours)').fill('2');
    await row(page, orderId).getByText('Over SLA (2 h)').waitFor();
    await page.reload();
    await expect(page.getByLabel('SLA (hours)').inputValue()).resolves.toBe('2');
    await row(page, orderId).getByText('Over SLA (2 h)').waitFor();
    await screenshot(page, '18-console-pending-over-sla');

    // The retry schedule runs out: 5 min, 30 min, 2 h later the call is flagged for a person.
    for (const [waited, attempts] of [
      [6 * MINUTE, 2],
      [31 * MINUTE, 3],
    ] as const) {
      offset += waited;
      await until(
        `attempt ${attempts}`,
        async () => (await count(orderId, 'IntegrationCallFailed')) === attempts,
      );
    }
    offset += 121 * MINUTE;
    await until(
      'manual handling',
      async () => (await count(orderId, 'IntegrationFlaggedForManualHandling')) === 1,
    );
    await row(page, orderId).getByText('manual handling required').waitFor({ timeout: 15_000 });

    // On the order's page: what failed and how often, and the button that tries again.
    await row(page, orderId).getByRole('link').click();
    const incident = page.getByRole('region', { name: 'Integration incident' });
    await incident.getByText('manual handling required').waitFor();
    await incident
      .getByText('Stripe create checkout: The Stripe stand-in was told to fail this request.')
      .waitFor();
    await expect(incident.locator('dd').nth(1).textContent()).resolves.toBe('4');
    await screenshot(page, '19-order-detail-manual-handling');
    platform.standIns.stripe.failNextRequests(0);
    await page.getByRole('button', { name: /^Retry .+ now$/ }).click();
    await page.getByText('Retry started.').waitFor();
    await page.locator('.order-summary .badge', { hasText: 'Awaiting payment' }).waitFor({ timeout: 30_000 });
    // The recovery is recorded just after the business event that succeeded: wait for it to clear.
    await page
      .getByRole('region', { name: 'Integration incident' })
      .waitFor({ state: 'detached', timeout: 30_000 });
    expect(await eventTypes(orderId)).toContain('IntegrationRetryRequested');
    await context.close();
  }, 120_000);
});
