import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepsInRange } from '../../src/integrations/shipping/chooseRate.js';
import { projectRoot } from '../../src/platform/paths.js';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';
import { cardPng } from './support/png.js';

let platform: WebPlatform;
let browser: Browser;
const ADMIN = { email: 'admin@pharmacy.example.org', password: 'admin-password-for-browser-tests' };

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

const until = async <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A staff member's API calls with a bearer session, for the steps around what the browser shows. */
const apiAs = async (who: { email: string; password: string }) => {
  const login = await fetch(`${platform.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
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
    // biome-ignore lint/suspicious/noExplicitAny: the test reads API answers loosely
    return (await response.json()) as any;
  };
};

let messages = 0;
/** A NewRx for `ndc` through intake, enrolled by the patient on the sample card. */
const enrolledOrder = async (ndc: string) => {
  const ops = await apiAs(platform.staff.ops);
  const xml = (
    await readFile(join(projectRoot, 'test', 'fixtures', 'ncpdp', 'newrx-specialty-valid.xml'), 'utf8')
  )
    .replace(
      /<MessageID>[^<]*<\/MessageID>/,
      `<MessageID>browser-reference-${process.pid}-${++messages}</MessageID>`,
    )
    .replace('<Code>00074055402</Code>', `<Code>${ndc}</Code>`);
  const intake = await fetch(`${platform.url}/api/intake`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', 'x-api-key': platform.composition.intakeApiKey },
    body: xml,
  });
  const { orderId } = (await intake.json()) as { orderId: string };
  await until('validation', async () => (await ops('GET', `/api/orders/${orderId}`)).status === 'validated');
  const before = new Set(platform.standIns.mailbox.messages().map((m) => m.id));
  await ops('POST', `/api/orders/${orderId}/enrollment`, {});
  const mail = await platform.standIns.mailbox.waitFor(
    (m) => !before.has(m.id) && m.subject === 'Complete your prescription enrollment',
    30_000,
  );
  const token = /\/enroll\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
  const patient = { 'x-enrollment-token': token };
  for (const side of ['front', 'back'])
    await ops('PUT', `/api/patient/enrollment/cards/${side}`, cardPng(), {
      ...patient,
      'content-type': 'image/png',
    });
  const consent = (await ops('GET', '/api/patient/enrollment', undefined, patient)).consent;
  await ops(
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
    patient,
  );
  return { orderId, ops };
};

describe('reference data pages', () => {
  it('the admin adds a drug to the catalogue', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'Drugs' }).click();
    await page.getByRole('heading', { name: 'Drug catalogue' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a drug' });
    await form.getByLabel('NDC').fill('50242-040-62');
    await form.getByLabel('Proprietary (brand) name').fill('Xolair');
    await form.getByLabel('Generic name').fill('omalizumab');
    await form.getByLabel('Strength').fill('150 mg/mL');
    await form.getByLabel('Refrigerated 2–8 °C').check();
    await form.getByLabel('Specialty drug').check();
    await form.getByRole('button', { name: 'Add drug' }).click();
    await page.getByText('NDC 50242-040-62 added to the catalogue.').waitFor();

    await page.getByLabel('Search', { exact: true }).fill('xolair');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const entry = page.locator('li.drug[data-ndc="50242004062"]');
    await entry.locator('.badge', { hasText: 'Refrigerated 2–8 °C' }).waitFor();
    await screenshot(page, '30-drug-catalogue-added');
    const { rows } = await platform.db.pool.query(
      `SELECT metadata->>'actor' AS actor FROM events WHERE stream_name = 'drug-50242004062' AND event_type = 'DrugAdded'`,
    );
    expect(rows).toEqual([{ actor: expect.stringMatching(/^staff:/) }]);
    await context.close();
  }, 60_000);

  it('a pharmacist classifies an unknown NDC and the order waiting on it goes on to ship cold', async () => {
    const unknown = '00078063941';
    const { orderId, ops } = await enrolledOrder(unknown);
    await until(
      'the hold',
      async () => (await ops('GET', `/api/orders/${orderId}`)).status === 'awaiting_drug_review',
    );

    // Ops sees why the order is not moving.
    const opsPerson = await newPerson(browser, platform.url);
    await signIn(opsPerson.page, platform.staff.ops);
    await opsPerson.page.goto(`/orders/${orderId}`);
    const hold = opsPerson.page.locator('section[data-hold="drug-review"]');
    await hold.getByRole('heading', { name: 'Waiting for a pharmacist' }).waitFor();
    await hold.getByText(`NDC ${unknown} is not in the drug catalogue`).waitFor();

    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.pharmacist);
    await page.goto('/reference/drugs');
    const item = page.locator(`.review-list li[data-ndc="${unknown}"]`);
    await item.getByText('not in the catalogue').waitFor();
    await item.getByText(/1 order waiting/).waitFor();
    const form = item.getByRole('form', { name: `Classify NDC ${unknown}` });
    await form.getByLabel('Proprietary (brand) name').fill('Cosentyx Sensoready');
    await form.getByLabel('Generic name').fill('secukinumab');
    await form.getByLabel('Strength').fill('150 mg/mL');
    await form.getByLabel('Refrigerated 2–8 °C').check();
    await form.getByLabel('Specialty drug').check();
    await form.getByLabel('Why (label, source)').fill('carton: store refrigerated at 2–8 °C');
    await screenshot(page, '31-drug-review-classify');
    await form.getByRole('button', { name: 'Classify' }).click();
    await page.getByText(`NDC ${unknown} classified: orders waiting on it are routed now.`).waitFor();
    await page.getByText('No order is waiting on a drug.').waitFor({ timeout: 30_000 });
    await context.close();

    // The order the classification unblocked goes on: routed to a cold-chain pharmacy, paid, shipped cold.
    await opsPerson.page
      .locator('.order-summary .badge', { hasText: 'Awaiting pharmacy selection' })
      .waitFor({ timeout: 30_000 });
    const routed = await ops('GET', `/api/orders/${orderId}`);
    await ops('POST', `/api/orders/${orderId}/pharmacy`, {
      pharmacyId: routed.recommendations[0].pharmacyId,
    });
    const priced = await until('the payment link', async () => {
      const detail = await ops('GET', `/api/orders/${orderId}`);
      return detail.status === 'awaiting_payment' ? detail : undefined;
    });
    await platform.standIns.stripe.payCheckoutSession(priced.payment.sessionId);
    const shipped = await until('the label', async () => {
      const detail = await ops('GET', `/api/orders/${orderId}`);
      return detail.status === 'shipped' ? detail : undefined;
    });
    expect(shipped.shipment.storageClass).toBe('refrigerated');
    expect(keepsInRange(shipped.shipment.serviceLevel, 'refrigerated')).toBe(true);
    await opsPerson.page
      .locator('.order-summary .badge', { hasText: 'Shipped' })
      .waitFor({ timeout: 30_000 });
    await opsPerson.context.close();
  }, 90_000);

  it('the admin suspends a pharmacy, and routing stops offering it', async () => {
    const { orderId: first, ops } = await enrolledOrder('00074055402');
    const best = await until('recommendations', async () => {
      const detail = await ops('GET', `/api/orders/${first}`);
      return detail.status === 'awaiting_pharmacy_selection'
        ? (detail.recommendations[0].pharmacyId as string)
        : undefined;
    });

    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'Pharmacies' }).click();
    await page.getByLabel('Search', { exact: true }).fill(best);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.locator(`li.pharmacy[data-pharmacy-id="${best}"]`);
    await row.getByText('Change').click();
    const suspend = row.getByRole('form', { name: /^Suspend / });
    await suspend.getByLabel('Reason').fill('licence under review by the state board');
    await suspend.getByRole('button', { name: 'Suspend' }).click();
    await page.getByText(/suspended: routing no longer offers it/).waitFor();
    await page
      .locator(`li.pharmacy[data-pharmacy-id="${best}"][data-status="suspended"]`)
      .waitFor({ timeout: 30_000 });
    await page.getByText(/: licence under review by the state board/).waitFor();
    await screenshot(page, '32-pharmacy-suspended');
    await context.close();

    const { orderId: second } = await enrolledOrder('00074055402');
    const offered = await until('recommendations', async () => {
      const detail = await ops('GET', `/api/orders/${second}`);
      return detail.status === 'awaiting_pharmacy_selection'
        ? (detail.recommendations as { pharmacyId: string }[]).map((r) => r.pharmacyId)
        : undefined;
    });
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain(best);
  }, 90_000);

  it('the admin changes a UK product price', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'UK products' }).click();
    const product = page.locator('li[data-product-id="vireza-sildenafil-50mg"]');
    await product.getByLabel('Price a month (£)').fill('21.49');
    await product.getByLabel('Why').fill('new supplier price');
    await product.getByRole('button', { name: 'Save terms' }).click();
    await page
      .getByText(/£21\.49 a month, 8 tablets, offered/)
      .first()
      .waitFor();
    const catalogue = await until('the public price', async () => {
      const response = await fetch(`${platform.url}/api/catalogue/vireza-sildenafil-50mg`);
      const body = (await response.json()) as { pricePence: number };
      return body.pricePence === 2_149 ? body : undefined;
    });
    expect(catalogue.pricePence).toBe(2_149);
    await context.close();
  }, 60_000);
});
