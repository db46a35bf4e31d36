import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/platform/clock.js';
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
import { cardPng } from './support/png.js';

/**
 * The ops console as a pharmacy's ops desk uses it. The platform's clock starts three hours behind
 * and is then put right, so the first orders have sat in their status for three hours.
 */
let offset = -3 * HOUR;
const clock = { now: () => new Date(Date.now() + offset) };

let platform: WebPlatform;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([
    startWebPlatform({
      clock,
      env: {
        STAFF_IDLE_TIMEOUT_MINUTES: '1440',
        STAFF_SESSION_HOURS: '72',
        PHARMACY_TIME_ZONE: 'America/Chicago',
        PHARMACY_NAME: 'Riverbend Pharmacy',
      },
    }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** Ops' API calls with a bearer session, to bring an order to the step a test is about. */
const opsApi = async () => {
  const login = await fetch(`${platform.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(platform.staff.ops),
  });
  const { token } = (await login.json()) as { token: string };
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
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
};

const eventTypes = async (orderId: string) =>
  (
    await platform.db.pool.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_name = $1 ORDER BY stream_revision',
      [`order-${orderId}`],
    )
  ).rows.map((r) => r.event_type);

const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Intake, enrollment with cards and consent, up to the pharmacy recommendations. */
/** Breaks Stripe, or mends it, through the sandbox controls a tester uses (the sandbox page's API). */
const stripeOutage = async (on: boolean) => {
  const response = await fetch(`${platform.url}/sandbox/api/vendors/stripe/outage`, {
    method: on ? 'POST' : 'DELETE',
    ...(on
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ calls: 1_000 }) }
      : {}),
  });
  expect(response.ok).toBe(true);
};

const enrolledOrder = async (api: Awaited<ReturnType<typeof opsApi>>) => {
  const orderId = await platform.intake();
  await until('validation', async () => (await eventTypes(orderId)).includes('PrescriptionValidated'));
  const before = new Set(platform.standIns.mailbox.messages().map((m) => m.id));
  await api('POST', `/api/orders/${orderId}/enrollment`, {});
  const mail = await platform.standIns.mailbox.waitFor(
    (m) => !before.has(m.id) && m.subject === 'Complete your prescription enrollment',
    30_000,
  );
  const token = /\/enroll\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
  const patient = { 'x-enrollment-token': token };
  for (const side of ['front', 'back'])
    await api('PUT', `/api/patient/enrollment/cards/${side}`, cardPng(), {
      ...patient,
      'content-type': 'image/png',
    });
  const consent = (await api('GET', '/api/patient/enrollment', undefined, patient)).consent as {
    version: string;
  };
  await api(
    'POST',
    '/api/patient/enrollment',
    {
      insurance: {
        memberId: `EVG${orderId.slice(-6)}`,
        bin: '610014',
        pcn: 'CommPlanA',
        group: 'EVG1001',
        cardholderName: 'Adaeze Okafor',
        relationship: '1',
      },
      consent: { accepted: true, version: consent.version, signedName: 'Adaeze Okafor' },
    },
    patient,
  );
  let detail: Record<string, unknown> = {};
  await until('recommendations in the order view', async () => {
    detail = await api('GET', `/api/orders/${orderId}`);
    return Array.isArray(detail.recommendations) && detail.recommendations.length > 0;
  });
  return { orderId, pharmacyId: (detail.recommendations as { pharmacyId: string }[])[0]!.pharmacyId };
};

describe('the ops console', () => {
  it('puts an SLA breach and a vendor incident made from the sandbox controls first, oldest first, and the incident’s retry clears it', async () => {
    const api = await opsApi();
    const waiting = await platform.intake();
    await until('validation', async () => (await eventTypes(waiting)).includes('PrescriptionValidated'));
    const stuck = await enrolledOrder(api);
    // A tester breaks Stripe from the sandbox controls when the payment link is due: the call waits
    // on the retry schedule.
    await stripeOutage(true);
    await api('POST', `/api/orders/${stuck.orderId}/pharmacy`, { pharmacyId: stuck.pharmacyId });
    await until('a failed call', async () =>
      (await eventTypes(stuck.orderId)).includes('IntegrationCallFailed'),
    );
    // Three hours later, by the platform's clock too.
    offset = 0;

    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.locator('.live[data-live-state="live"]').waitFor();
    const queue = page.getByRole('region', { name: /Needs attention/ });
    // The first section of the page.
    await expect(page.locator('main h2').first().textContent()).resolves.toMatch(/^Needs attention/);
    const incident = queue.locator(`li[data-kind="incident"][data-key^="incident:order-${stuck.orderId}:"]`);
    await incident.waitFor();
    await incident.getByText('Adaeze Okafor').waitFor();
    // Within the default 24 h SLA the order that only waits is not listed; at 2 h it is.
    await expect(queue.locator(`li[data-key="order:${waiting}"]`).count()).resolves.toBe(0);
    await page.getByLabel('SLA (hours)').fill('2');
    const breach = queue.locator(`li[data-key="order:${waiting}"]`);
    await breach.waitFor();
    await breach.getByText('Over SLA', { exact: true }).waitFor();
    await breach.getByRole('link', { name: 'Open the order' }).waitFor();
    // Oldest first: the waiting order has waited since before the stuck one's call failed.
    const keys = await queue
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-key')));
    expect(keys.indexOf(`order:${waiting}`)).toBeLessThan(
      keys.findIndex((k) => k?.startsWith(`incident:order-${stuck.orderId}:`)),
    );
    await screenshot(page, 'console-needs-attention-page');
    await screenshotOf(queue, 'console-needs-attention');

    // The incident's next action is its retry: with Stripe mended from the sandbox controls, the retry
    // from the page clears it from the queue.
    await stripeOutage(false);
    await incident.getByRole('button', { name: 'Retry stripe now' }).click();
    await incident.waitFor({ state: 'detached', timeout: 30_000 });
    await until('the payment link', async () =>
      (await eventTypes(stuck.orderId)).includes('PaymentLinkCreated'),
    );
    expect(await eventTypes(stuck.orderId)).toContain('IntegrationRetryRequested');
    await context.close();
  }, 120_000);

  it('lists open vendor calls on the incidents page, each with its retry', async () => {
    const api = await opsApi();
    const stuck = await enrolledOrder(api);
    await stripeOutage(true);
    try {
      await api('POST', `/api/orders/${stuck.orderId}/pharmacy`, { pharmacyId: stuck.pharmacyId });
      await until('a failed call', async () =>
        (await eventTypes(stuck.orderId)).includes('IntegrationCallFailed'),
      );
      const { page, context } = await newPerson(browser, platform.url);
      await signIn(page, platform.staff.ops);
      await page.getByRole('link', { name: 'Incidents', exact: true }).click();
      await page.waitForURL('**/operations/incidents');
      await expect(page.title()).resolves.toMatch(/Incidents/);
      const open = page.getByRole('region', { name: 'Open vendor calls' });
      const call = open.locator('li', { has: page.getByRole('link', { name: stuck.orderId }) });
      await call.getByText('pending (API unavailable)').waitFor();
      await call.getByText(/Stripe create checkout/).waitFor();
      await page.getByRole('region', { name: 'Parked events' }).waitFor();
      await screenshot(page, 'console-incidents-page');
      await stripeOutage(false);
      await call.getByRole('button', { name: 'Retry stripe now' }).click();
      await call.waitFor({ state: 'detached', timeout: 30_000 });
      await context.close();
    } finally {
      await stripeOutage(false);
    }
  }, 120_000);

  it('draws the flow (funnel, throughput, time in status) and updates it live when an order arrives', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.locator('.live[data-live-state="live"]').waitFor();
    const flow = page.getByRole('region', { name: 'The flow' });
    await flow.locator('canvas').nth(2).waitFor();
    const number = async (selector: string) => Number(await flow.locator(selector).textContent());
    const funnelTotal = async () =>
      (
        JSON.parse(
          (await flow.locator('[data-chart="funnel"]').getAttribute('data-values')) ?? '[]',
        ) as number[]
      ).reduce((sum, n) => sum + n, 0);
    const receivedDrawn = async () =>
      (
        JSON.parse(
          (await flow.locator('[data-chart="throughput"]').getAttribute('data-values')) ?? '[[]]',
        ) as number[][]
      )[0]!.reduce((sum, n) => sum + n, 0);
    const before = {
      all: await number('[data-count="all"]'),
      received: await number('[data-flow="received-24h"]'),
      validated: await number('[data-count="validated"]'),
    };
    expect(await funnelTotal()).toBe(before.all);
    expect(await receivedDrawn()).toBe(before.received);
    await page.evaluate('window.__sameDocument = true');

    const orderId = await platform.intake();
    await until('validation', async () => (await eventTypes(orderId)).includes('PrescriptionValidated'));
    await flow
      .locator('[data-count="all"]', { hasText: String(before.all + 1) })
      .waitFor({ timeout: 30_000 });
    await flow
      .locator('[data-flow="received-24h"]', { hasText: String(before.received + 1) })
      .waitFor({ timeout: 30_000 });
    await flow.locator('[data-count="validated"]', { hasText: String(before.validated + 1) }).waitFor({
      state: 'attached',
      timeout: 30_000,
    });
    // The charts drew the new numbers too, without a reload.
    await until('the funnel redrawn', async () => (await funnelTotal()) === before.all + 1);
    await until('the throughput redrawn', async () => (await receivedDrawn()) === before.received + 1);
    await expect(page.evaluate('window.__sameDocument')).resolves.toBe(true);
    await screenshot(page, 'console-flow');

    // A bar of the funnel is a status filter: the numbers table's buttons do the same.
    await flow.getByText('Numbers').click();
    await flow.getByRole('button', { name: 'Validated' }).click();
    await page.waitForURL('**/?status=validated');
    await page.locator(`li.order[data-order-id="${orderId}"]`).waitFor();
    await context.close();
  }, 120_000);

  it('searches by MRN and by tracking number, counts one order as one, and opens the insurance card from the order', async () => {
    const api = await opsApi();
    const byMrn = await platform.intake('newrx-specialty-valid.xml', { 'MRN-0042117': 'MRN-5550199' });
    const shipped = await enrolledOrder(api);
    await api('POST', `/api/orders/${shipped.orderId}/pharmacy`, { pharmacyId: shipped.pharmacyId });
    let detail: Record<string, unknown> = {};
    await until('the payment link', async () => {
      detail = await api('GET', `/api/orders/${shipped.orderId}`);
      return Boolean((detail.payment as { sessionId?: string } | undefined)?.sessionId);
    });
    await platform.standIns.stripe.payCheckoutSession((detail.payment as { sessionId: string }).sessionId);
    let tracking = '';
    await until('the label', async () => {
      detail = await api('GET', `/api/orders/${shipped.orderId}`);
      tracking = (detail.shipment as { trackingNumber?: string } | null)?.trackingNumber ?? '';
      return tracking !== '';
    });

    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    const searchFor = async (q: string) => {
      await page.getByLabel('Search', { exact: true }).fill(q);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
    };
    await searchFor('mrn-5550199');
    await page.locator(`li.order[data-order-id="${byMrn}"]`).waitFor();
    await page.getByText('Page 1 of 1 · 1 order', { exact: true }).waitFor();
    await expect(page.locator('li.order').count()).resolves.toBe(1);
    await searchFor(tracking);
    await page.locator(`li.order[data-order-id="${shipped.orderId}"]`).waitFor();
    await page.getByText('Page 1 of 1 · 1 order', { exact: true }).waitFor();
    await expect(page.locator('li.order').count()).resolves.toBe(1);
    await screenshot(page, 'console-search-tracking');
    // From the order, ops open the card the patient uploaded: a download, not a page.
    await page.locator(`li.order[data-order-id="${shipped.orderId}"]`).getByRole('link').first().click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Open the front of the card' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`insurance-card-front-${shipped.orderId}.png`);
    await context.close();
  }, 120_000);

  it('fits a 375 px phone without scrolling sideways: console, queue, flow and incidents page', async () => {
    await platform.intake();
    const { page, context } = await newPerson(browser, platform.url, PHONE);
    await signIn(page, platform.staff.ops);
    await page.getByRole('region', { name: 'The flow' }).locator('canvas').nth(2).waitFor();
    await page.getByRole('region', { name: /Needs attention/ }).waitFor();
    await page.locator('li.order').first().waitFor();
    await expectNoHorizontalOverflow(page);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot(page, 'console-375');
    await page.goto('/operations/incidents');
    await page.getByRole('region', { name: 'Parked events' }).waitFor();
    await expectNoHorizontalOverflow(page);
    await context.close();
  }, 60_000);

  it('shows times in the pharmacy’s time zone, named, with a title per page and a favicon', async () => {
    await platform.intake();
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.getByRole('heading', { name: 'Order console' }).waitFor();
    // The brand is the configured one (PHARMACY_NAME), in the title and the header.
    await until('the page title', async () => (await page.title()) === 'Order console · Riverbend Pharmacy');
    await page.locator('header .brand', { hasText: 'Riverbend Pharmacy' }).waitFor();
    await page.getByText(/last 24 h \(America\/Chicago\)/).waitFor();
    // The live feed's times, in Chicago whatever the browser's zone, with the zone named.
    await page.evaluate('window.__sameDocument = true');
    await platform.intake();
    const time = page.getByRole('list', { name: 'Live changes' }).locator('time').first();
    await time.waitFor();
    await expect(time.textContent()).resolves.toMatch(/\b(CST|CDT)$/);
    await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('/favicon.svg');
    const icon = await fetch(`${platform.url}/favicon.svg`);
    expect({ status: icon.status, type: icon.headers.get('content-type') }).toEqual({
      status: 200,
      type: 'image/svg+xml',
    });
    await context.close();
  }, 60_000);

  it('names the patient and the drug in the live feed, and refills it from the server after a reload', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    await page.locator('.live[data-live-state="live"]').waitFor();
    const orderId = await platform.intake('newrx-specialty-valid.xml', {
      // A patient of their own: the same MRN under another name would stop at validation.
      'MRN-0042117': 'MRN-8880123',
      '<LastName>Okafor</LastName>': '<LastName>Livewell</LastName>',
    });
    const feed = page.getByRole('list', { name: 'Live changes' });
    const validated = feed
      .locator('li', { hasText: 'Prescription validated' })
      .filter({ hasText: 'Adaeze Livewell' });
    await validated.waitFor({ timeout: 30_000 });
    await validated.getByText('adalimumab', { exact: false }).waitFor();
    await expect(validated.getByRole('link', { name: 'Adaeze Livewell' }).getAttribute('href')).resolves.toBe(
      `/orders/${orderId}`,
    );
    const before = await feed
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-checkpoint')));
    await page.reload();
    await feed.locator('li', { hasText: 'Adaeze Livewell' }).first().waitFor();
    // The same changes in the same order, each once.
    const after = await feed
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-checkpoint')));
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
    await screenshot(page, 'console-live-feed-named');
    await context.close();
  }, 60_000);
});
