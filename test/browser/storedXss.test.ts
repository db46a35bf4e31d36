import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.js';
import { launchChromium, newPerson, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

let platform: WebPlatform;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** What an attacker's script does once it runs in a staff member's page: says so, loudly. */
const PAYLOAD = "console.log('XSS-RAN:' + document.domain); fetch('/xss-beacon?cookie=' + document.cookie);";

/** A NewRx that validates, its MedicationPrescribed carrying an XHTML script inside the Note. */
const hostileNewRx = async (messageId: string) =>
  (await readFile(join(projectRoot, 'test', 'fixtures', 'ncpdp', 'newrx-specialty-valid.xml'), 'utf8'))
    .replace(/<MessageID>[^<]*<\/MessageID>/, `<MessageID>${messageId}</MessageID>`)
    .replace(
      '</Sig>',
      `</Sig>\n        <Note><h:script xmlns:h="http://www.w3.org/1999/xhtml">${PAYLOAD}</h:script></Note>`,
    );

/** Opens a URL in a signed-in staff page and reports whether any injected script ran there. */
const open = async (page: Page, path: string) => {
  const ran: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('XSS-RAN')) ran.push(message.text());
  });
  page.on('request', (request) => {
    if (request.url().includes('/xss-beacon')) ran.push(request.url());
  });
  // An attachment starts a download instead of a page: that is one of the right outcomes.
  const download = page.waitForEvent('download', { timeout: 5_000 }).catch(() => null);
  const response = await page.goto(path).catch((error: Error) => {
    if (/Download is starting|net::ERR_ABORTED/.test(error.message)) return null;
    throw error;
  });
  await Promise.race([download, page.waitForTimeout(1_500)]);
  await page.waitForTimeout(500);
  return { ran, response };
};

describe('stored XSS through a prescription (finding 1)', () => {
  it('an XHTML script hidden in a NewRx never runs when ops open the raw message', async () => {
    const intake = await fetch(`${platform.url}/api/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-api-key': platform.composition.intakeApiKey },
      body: await hostileNewRx(`xss-${Date.now()}`),
    });
    expect(intake.status).toBe(202);
    const { orderId } = (await intake.json()) as { orderId: string };

    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.ops);
    const { ran } = await open(page, `/api/orders/${orderId}/raw-message`);
    expect(ran).toEqual([]);

    // And the answer itself says why a browser must not render it as a page.
    const headers = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return Object.fromEntries(response.headers.entries());
    }, `/api/orders/${orderId}/raw-message`);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toMatch(/\bsandbox\b/);
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers['content-disposition']).toMatch(/^attachment/);
    await context.close();
  }, 60_000);
});
