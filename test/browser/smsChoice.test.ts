import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually } from '../support/platformHarness.js';
import {
  expectNoHorizontalOverflow,
  launchChromium,
  newPerson,
  PHONE,
  screenshot,
} from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';
import { cardPng } from './support/png.js';

let platform: WebPlatform;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

describe('choosing texts at enrollment, on a phone', () => {
  it('takes the patient’s mobile for texts, and refuses one that is not a phone number, saying why', async () => {
    const orderId = await platform.intake();
    const ops = apiClient(platform.url);
    await ops.signIn(platform.staff.ops.email, platform.staff.ops.password);
    // Enrollment starts once the prescription has been validated.
    await eventually(
      async () => (await ops.get(`/api/orders/${orderId}`)).body?.status === 'validated',
      'validation',
    );
    const started = await ops.post(`/api/orders/${orderId}/enrollment`, {});
    expect(started.body.status).toBe('awaiting_enrollment');
    const invite = await platform.standIns.mailbox.waitFor(
      (m) => m.subject === 'Complete your prescription enrollment',
      30_000,
    );
    const enrollUrl = /http:\/\/\S+\/enroll\/[A-Za-z0-9_-]+/.exec(invite.text ?? '')![0];

    const patient = await newPerson(browser, platform.url, PHONE);
    const page = patient.page;
    await page.goto(enrollUrl);
    await page.getByRole('heading', { name: 'Complete your enrollment' }).waitFor();
    for (const side of ['Front', 'Back'] as const) {
      await page.getByLabel(`${side} of your insurance card`).setInputFiles({
        name: `card-${side}.png`,
        mimeType: 'image/png',
        buffer: cardPng(),
      });
      await page.getByText(`The ${side.toLowerCase()} of your card is uploaded.`).waitFor();
    }
    await page.getByLabel('Member ID').fill('EVG555001');
    await page.getByLabel('Rx BIN').fill('610014');
    await page.getByLabel('Rx PCN').fill('CommPlanA');
    await page.getByLabel('Rx Group').fill('EVG1001');
    await page.getByLabel('Cardholder name').fill('Adaeze Okafor');
    await page.getByLabel('I have read and accept this authorization.').check();
    await page.getByLabel('Type your full name to sign').fill('Adaeze Okafor');

    // No mobile field until the patient asks for texts.
    expect(await page.getByLabel('Mobile number for texts').count()).toBe(0);
    await page.getByLabel(/Also text me/).check();
    await page.getByLabel('Mobile number for texts').fill('555-0132');
    await page.getByRole('button', { name: 'Submit enrollment' }).click();
    await page
      .getByRole('alert')
      .getByText(/10 digits/)
      .waitFor();
    await screenshot(page, 'sms-enroll-bad-number');

    await page.getByLabel('Mobile number for texts').fill('(415) 555-0132');
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'sms-enroll-choice');
    await page.getByRole('button', { name: 'Submit enrollment' }).click();
    await page.getByRole('heading', { name: 'Thank you, you are enrolled' }).waitFor();

    const { rows } = await platform.db.pool.query(
      "SELECT data FROM events WHERE stream_name = $1 AND event_type = 'SmsNotificationsChosen'",
      [`order-${orderId}`],
    );
    expect(rows.map((r) => r.data)).toEqual([{ phone: '+14155550132' }]);
  });
});
