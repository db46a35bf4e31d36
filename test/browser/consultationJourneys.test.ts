import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_DENY_PATIENT_MESSAGE } from '../../src/domain/consultation/questionnaire.js';
import {
  DESKTOP,
  expectNoHorizontalOverflow,
  launchChromium,
  newPerson,
  PHONE,
  screenshot,
  signIn,
} from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';
import { cardPng } from './support/png.js';

/**
 * The UK consultation flow through the browser, one test per order type, as its people use it:
 * the patient on their phone, the prescriber or pharmacist at the review queue, the pharmacy team
 * at the dispensing queue, and the vendors through their stand-ins' own pages and controls.
 */
let platform: WebPlatform;
let browser: Browser;
const opened: BrowserContext[] = [];

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
});
afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.close()));
  await browser?.close();
  await platform?.close();
});

const person = async (viewport = DESKTOP) => {
  const p = await newPerson(browser, platform.url, viewport);
  opened.push(p.context);
  return p;
};

const HAIR_LOSS = 'follimax-finasteride-1mg';
const SILDENAFIL = 'vireza-sildenafil-50mg';

const eventTypes = async (consultationId: string) =>
  (
    await platform.db.pool.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_name = $1 ORDER BY stream_revision',
      [`consultation-${consultationId}`],
    )
  ).rows.map((r) => r.event_type);

const waitForEvent = async (consultationId: string, type: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await eventTypes(consultationId)).includes(type)) {
    if (Date.now() > deadline) throw new Error(`consultation ${consultationId} never recorded ${type}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const consultationIdOf = (page: Page) => {
  const id = /\/consultations\/([0-9A-Z]{26})/.exec(page.url())?.[1];
  if (!id) throw new Error(`not on a consultation page: ${page.url()}`);
  return id;
};

/** The patient's status card says where the consultation is. */
const patientStatus = (page: Page, status: string, timeout = 20_000) =>
  page.locator(`section[data-status="${status}"]`).waitFor({ timeout });

const group = (page: Page, name: string) => page.getByRole('group', { name });
const answerYesNo = (page: Page, question: string, yes: boolean) =>
  group(page, question)
    .getByLabel(yes ? 'Yes' : 'No', { exact: true })
    .check();
const saveStep = (page: Page) => page.getByRole('button', { name: 'Save and continue' }).click();
const stepHeading = (page: Page, title: string) =>
  page.getByRole('heading', { level: 2, name: title }).waitFor();

/** Phase 1: from the product page, the patient's details and the GP consent. */
const startConsultation = async (page: Page, productId: string, lastName = 'Hart') => {
  await page.goto(`/treatments/${productId}`);
  await page.getByRole('heading', { name: 'Start your consultation' }).waitFor();
  await page.getByLabel('First name').fill('Amelia');
  await page.getByLabel('Last name').fill(lastName);
  await page.getByLabel('Email', { exact: true }).fill(`amelia.${Date.now()}@example.co.uk`);
  await page.getByLabel('Address line 1').fill('7 Orchard Row');
  await page.getByLabel('Town or city').fill('Bath');
  await page.getByLabel('Postcode').fill('BA1 2LX');
  await page.getByLabel('I agree that the pharmacy tells my GP about this treatment.').check();
  await page.getByRole('button', { name: 'Start consultation' }).click();
  await page.waitForURL(/\/consultations\/[0-9A-Z]{26}$/);
  await stepHeading(page, 'About you');
  return consultationIdOf(page);
};

const aboutYou = async (page: Page, sex: 'Male' | 'Female' = 'Male') => {
  await page.getByLabel('What is your date of birth?').fill('1988-02-14');
  await group(page, 'What sex were you assigned at birth?').getByLabel(sex, { exact: true }).check();
  await answerYesNo(page, 'Are you registered with a GP practice in the UK?', true);
  // Shown only after "yes" (the question's showIf).
  await page
    .getByLabel('What is the name and address of your GP practice?')
    .fill('Park View Surgery, 4 Elm Road, Bath');
  await saveStep(page);
};

const CONFIRMATION = /^I confirm my answers are true and complete/;

const medicinesAndConfirm = async (page: Page, options: { tryUnticked?: boolean } = {}) => {
  await stepHeading(page, 'Medicines and allergies');
  await page.getByLabel(/^List any medicines you take/).fill('none');
  await saveStep(page);
  await stepHeading(page, 'Confirm');
  // The confirmation is one box to tick: no "No" to choose, and leaving it unticked asks again.
  await expect(page.getByRole('radio').count()).resolves.toBe(0);
  if (options.tryUnticked) {
    await saveStep(page);
    await page
      .locator('[data-question="answersTruthful"] .field-error', { hasText: 'Tick the box to confirm' })
      .waitFor();
    await stepHeading(page, 'Confirm');
    await screenshot(page, 'uk-05a-wizard-confirm-unticked-phone');
  }
  await page.getByRole('checkbox', { name: CONFIRMATION }).check();
  await saveStep(page);
  await stepHeading(page, 'Check your answers');
};

/** Phase 3 on Stripe's hosted page (the stand-in's), back to the consultation with `paid=1`. */
const payOnStripe = async (page: Page) => {
  await page.waitForURL(`${platform.standIns.stripe.url}/checkout/**`);
  await page.getByRole('button', { name: /^Pay £/ }).click();
  await page.waitForURL(
    (url) => url.pathname.startsWith('/consultations/') && url.searchParams.get('paid') === '1',
  );
};

const clinicianSignIn = async (page: Page, who: { email: string; password: string }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/review');
  // The queue updates over the live socket (consultation changes), not by polling.
  await page.locator('.live[data-live-state="live"]').waitFor();
};

const queueEntry = (page: Page, consultationId: string) =>
  page.locator(`li[data-consultation-id="${consultationId}"]`);

describe('the UK consultation flow, in the browser', () => {
  it('POM one-off: wizard with a reload, a failed then good payment, prescriber, SignatureRx, slip, dispatch, delivered', async () => {
    const patient = await person(PHONE);
    const { page } = patient;

    // Phase 1: the catalogue and the product page.
    await page.goto('/treatments');
    await page.getByRole('heading', { name: 'Treatments' }).waitFor();
    const hairLoss = page.locator(`li[data-product-id="${HAIR_LOSS}"]`);
    await hairLoss.waitFor();
    await expect(hairLoss.locator('.badge').textContent()).resolves.toMatch(
      /^POM: Prescription-only medicine/,
    );
    await expect(hairLoss.getByText('£24.95').isVisible()).resolves.toBe(true);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-01-catalogue-phone');
    await hairLoss.getByRole('link').click();
    await page.getByText(/3-month plan: £24\.95 a month for 3 months \(£74\.85 in total\)/).waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-02-product-phone');
    const id = await startConsultation(page, HAIR_LOSS);
    // The key travels in a header, never in the address.
    expect(page.url()).not.toContain('token');

    // Phase 2: step 1, sent empty first: one message per question, and a summary linking to them.
    await saveStep(page);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByText('What is your date of birth?: Enter a date').waitFor();
    await expect(page.getByLabel('What is the name and address of your GP practice?').count()).resolves.toBe(
      0,
    );
    await expect(page.locator('.field-error').count()).resolves.toBe(3);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-03-wizard-step-errors-phone');
    await aboutYou(page);
    await stepHeading(page, 'Your hair loss');
    await group(page, 'Which best describes your hair loss?').getByLabel('Thinning at the crown').check();
    await group(page, 'Do you have, or have you had, any of the following?')
      .getByLabel('None of these')
      .check();
    await screenshot(page, 'uk-04-wizard-step-phone');
    await saveStep(page);
    await stepHeading(page, 'Medicines and allergies');
    await page.getByText('Step 3 of 5').waitFor();

    // A reload mid-way: the draft was saved step by step, so the patient resumes where they were.
    await page.reload();
    await stepHeading(page, 'Medicines and allergies');
    await page.getByRole('button', { name: 'Back' }).click();
    await stepHeading(page, 'Your hair loss');
    await expect(
      group(page, 'Which best describes your hair loss?').getByLabel('Thinning at the crown').isChecked(),
    ).resolves.toBe(true);
    await saveStep(page);
    await medicinesAndConfirm(page, { tryUnticked: true });
    await page.getByText('Park View Surgery, 4 Elm Road, Bath').waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-05-wizard-check-answers-phone');
    await page.getByRole('button', { name: 'Send my consultation' }).click();

    // Phase 3: the plan, then Stripe. A declined card first, then a retry that pays.
    await page.getByRole('heading', { name: 'Choose how to pay' }).waitFor();
    await page.getByLabel(/^One-off order/).check();
    await page.getByText('To pay now: £24.95').waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-06-plan-choice-phone');
    await page.getByRole('button', { name: 'Continue to secure payment' }).click();
    await page.waitForURL(`${platform.standIns.stripe.url}/checkout/**`);
    await screenshot(page, 'uk-07-stripe-checkout');
    await page.getByRole('button', { name: 'Simulate card declined' }).click();
    await page.getByRole('alert').waitFor();
    await waitForEvent(id, 'PaymentFailed');
    await page.getByRole('link', { name: 'Cancel and return' }).click();
    await page.getByText('Your payment did not go through').waitFor();
    await page.getByText('No money was taken').waitFor();
    expect(page.url()).not.toContain('token');
    await screenshot(page, 'uk-08-payment-failed-phone');
    await page.getByRole('button', { name: 'Try the payment again' }).click();
    await payOnStripe(page);

    // Phase 4: IDU passes by default; the consultation reaches the prescriber's queue.
    await patientStatus(page, 'in_clinical_review');
    await page.getByText('A clinician is reviewing your consultation.').waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-09-status-in-review-phone');

    // Phases 5–7: the prescriber (signed in at the clinicians' page) approves.
    const prescriber = await person();
    await clinicianSignIn(prescriber.page, platform.staff.prescriber);
    await prescriber.page.getByRole('heading', { name: 'Review queue — Prescriber (POM)' }).waitFor();
    await expect(prescriber.page.getByRole('link', { name: 'Console' }).count()).resolves.toBe(0);
    await queueEntry(prescriber.page, id).waitFor();
    await screenshot(prescriber.page, 'uk-10-review-queue');
    await queueEntry(prescriber.page, id).getByRole('link').click();
    await prescriber.page
      .locator('[data-question="pattern"] dd', { hasText: 'Thinning at the crown' })
      .waitFor();
    await screenshot(prescriber.page, 'uk-11-review-case');
    await prescriber.page.getByLabel('Your GMC number').fill('7654321');
    await prescriber.page.getByRole('button', { name: 'Approve and create prescription' }).click();
    // Approving a prescription is final: the page asks first.
    const approval = prescriber.page.getByRole('alertdialog', {
      name: 'Approve and create the prescription?',
    });
    await approval.getByText(/once you sign it, it is final/).waitFor();
    await approval.getByRole('button', { name: 'Yes, approve' }).click();
    const signLink = prescriber.page.getByRole('link', { name: 'Sign the prescription in SignatureRx' });
    await signLink.waitFor({ timeout: 30_000 });
    await screenshot(prescriber.page, 'uk-12-review-approved');

    // SignatureRx's own signing page, opened from the case: signing is final and fires Phase 8.
    const [signing] = await Promise.all([prescriber.context.waitForEvent('page'), signLink.click()]);
    await signing.getByRole('button', { name: 'Sign prescription' }).click();
    await signing.getByText(/This prescription is final/).waitFor();
    await screenshot(signing, 'uk-13-signaturerx-signed');
    await prescriber.page.getByText(/^Approved$/).waitFor({ timeout: 30_000 });

    // Phases 9–11: the pharmacy team prints the slip and dispatches.
    const team = await person();
    await signIn(team.page, platform.staff.ops);
    await team.page.getByRole('link', { name: 'Pharmacy queue' }).click();
    await team.page.getByRole('heading', { name: 'Pharmacy queue — To dispense' }).waitFor();
    await queueEntry(team.page, id).waitFor({ timeout: 30_000 });
    await screenshot(team.page, 'uk-14-pharmacy-queue');
    await queueEntry(team.page, id).getByRole('link').click();
    await team.page.locator('[data-pmr="synced"]').waitFor({ timeout: 30_000 });
    const dispatch = team.page.getByRole('button', { name: 'Dispatch: pack and book Royal Mail' });
    await expect(dispatch.isDisabled()).resolves.toBe(true);
    await team.page.getByText('Print the dispensing slip first.').waitFor();
    const [slip] = await Promise.all([
      team.context.waitForEvent('response', (r) =>
        r.url().endsWith(`/api/pharmacy/consultations/${id}/slip`),
      ),
      team.page.getByRole('link', { name: 'Print dispensing slip (PDF)' }).click(),
    ]);
    expect(slip.status()).toBe(200);
    expect(slip.headers()['content-type']).toBe('application/pdf');
    await team.page.locator('[data-slip="printed"]').waitFor({ timeout: 30_000 });
    await screenshot(team.page, 'uk-15-pharmacy-case-ready');
    await dispatch.click();
    const parcel = team.page.locator('.shipment[data-tracking-number]');
    await parcel.waitFor({ timeout: 30_000 });
    const trackingNumber = (await parcel.getAttribute('data-tracking-number'))!;
    await screenshot(team.page, 'uk-16-pharmacy-case-dispatched');

    // Phase 12: Royal Mail delivers; the patient sees it on their page.
    platform.standIns.royalMail.advance(trackingNumber, 'delivered');
    await patientStatus(page, 'delivered');
    await page.getByText('Your order has been delivered.').waitFor();
    await page.getByRole('list', { name: 'Tracking for month 1' }).getByText('Delivered').waitFor();
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-17-status-delivered-phone');
    const events = await eventTypes(id);
    expect(events).toEqual(
      expect.arrayContaining([
        'PaymentFailed',
        'PaymentCaptured',
        'TreatmentApproved',
        'PrescriptionSigned',
        'OrderDispatched',
        'SupplyDelivered',
      ]),
    );
  }, 90_000);

  it('P instalment plan: monthly price, pharmacist approval, first month dispatched; a renewal is flagged as overlapping', async () => {
    const { page } = await person();
    const id = await startConsultation(page, SILDENAFIL);
    await aboutYou(page);
    await stepHeading(page, 'Your heart and circulation');
    await answerYesNo(page, 'Has a doctor advised you to avoid sexual activity', false);
    await answerYesNo(page, 'Have you had a heart attack or stroke in the last 6 months?', false);
    await answerYesNo(page, 'Have you been told you have low blood pressure?', false);
    await saveStep(page);
    await stepHeading(page, 'Other medicines and conditions');
    await group(page, 'Do you use any of the following?').getByLabel('None of these').check();
    await group(page, 'Do you have any of the following?').getByLabel('None of these').check();
    await saveStep(page);
    await medicinesAndConfirm(page);
    await page.getByRole('button', { name: 'Send my consultation' }).click();

    await page.getByLabel(/^3-month plan/).check();
    await page.getByText('£19.99 a month for 3 months (£59.97 in total)').waitFor();
    await page.getByText('To pay now: £19.99, then £19.99 on the same day of each following month').waitFor();
    await page.getByRole('button', { name: 'Continue to secure payment' }).click();
    await payOnStripe(page);
    await patientStatus(page, 'in_clinical_review');

    // A P medicine goes to the pharmacists' queue; the pharmacist approves without a prescription.
    const pharmacist = await person();
    await signIn(pharmacist.page, platform.staff.pharmacist);
    await pharmacist.page.getByRole('link', { name: 'Review queue' }).click();
    await pharmacist.page.getByRole('heading', { name: 'Review queue — Pharmacist (P)' }).waitFor();
    await queueEntry(pharmacist.page, id).getByRole('link').click();
    // Denying refunds the patient: the page asks first, and going back sends nothing.
    const deny = pharmacist.page.getByRole('region', { name: 'Deny' });
    await deny.getByLabel('Reason').fill('Not suitable with the current medication');
    await deny.getByRole('button', { name: 'Deny treatment' }).click();
    const denial = pharmacist.page.getByRole('alertdialog', {
      name: 'Deny this treatment and refund the patient?',
    });
    await denial.getByText(/refunded in full. This cannot be undone/).waitFor();
    await denial.getByRole('button', { name: 'Go back' }).click();
    await deny.getByRole('button', { name: 'Deny treatment' }).waitFor();
    await pharmacist.page.getByLabel('Your GPhC number').fill('2345678');
    await pharmacist.page.getByRole('button', { name: 'Approve supply' }).click();
    await pharmacist.page
      .getByRole('alertdialog', { name: 'Approve the supply?' })
      .getByRole('button', { name: 'Yes, approve' })
      .click();
    await pharmacist.page.getByText('Approved: the pharmacy team has been told to dispense.').waitFor();

    // The pharmacist also works the pharmacy queue: month 1 of 3.
    await pharmacist.page.getByRole('link', { name: 'Pharmacy queue' }).click();
    await queueEntry(pharmacist.page, id).getByText('Supply 1').waitFor({ timeout: 30_000 });
    await queueEntry(pharmacist.page, id).getByRole('link').click();
    await pharmacist.page.getByRole('heading', { name: 'Dispense supply 1 of 3' }).waitFor();
    await pharmacist.page.getByText('Pharmacist approval', { exact: false }).waitFor();
    await pharmacist.page.locator('[data-pmr="synced"]').waitFor({ timeout: 30_000 });
    await Promise.all([
      pharmacist.context.waitForEvent('response', (r) => r.url().endsWith('/slip')),
      pharmacist.page.getByRole('link', { name: 'Print dispensing slip (PDF)' }).click(),
    ]);
    await pharmacist.page.locator('[data-slip="printed"]').waitFor({ timeout: 30_000 });
    const caseUrl = pharmacist.page.url();

    // The shelf is empty (a count correction on the stock page): dispatch is blocked, with the reason.
    await pharmacist.page.getByRole('link', { name: 'Stock', exact: true }).click();
    const shelf = pharmacist.page.locator(`li[data-product-id="${SILDENAFIL}"]`);
    const onHand = Number(await shelf.locator('[data-on-hand]').getAttribute('data-on-hand'));
    await shelf.getByText('Book in or correct').click();
    await shelf.getByLabel('Correction (+ or −)').fill(String(-onHand));
    await shelf.getByLabel('Reason').fill('Stock count: shelf found empty');
    await shelf.getByRole('button', { name: 'Correct count' }).click();
    await pharmacist.page
      .locator(`li[data-product-id="${SILDENAFIL}"][data-level="out"]`)
      .getByText('Out of stock')
      .waitFor();
    await screenshot(pharmacist.page, 'uk-18-stock-out');
    await pharmacist.page.goto(caseUrl);
    const dispatch = pharmacist.page.getByRole('button', { name: 'Dispatch: pack and book Royal Mail' });
    await pharmacist.page.getByText(/Out of stock: .* has none on hand/).waitFor();
    await expect(dispatch.isDisabled()).resolves.toBe(true);
    await screenshot(pharmacist.page, 'uk-19-dispatch-blocked-out-of-stock');

    // A delivery is booked in; the low-stock mark shows until the shelf is above its threshold.
    await pharmacist.page.getByRole('link', { name: 'Stock', exact: true }).click();
    await shelf.getByText('Book in or correct').click();
    await shelf.getByLabel('Units received').fill('20');
    await shelf.getByRole('button', { name: 'Book in' }).click();
    await pharmacist.page
      .locator(`li[data-product-id="${SILDENAFIL}"][data-level="low"]`)
      .getByText('Low stock')
      .waitFor();
    await pharmacist.page.goto(caseUrl);
    await expect(dispatch.isEnabled()).resolves.toBe(true);
    await dispatch.click();
    await pharmacist.page.locator('.shipment[data-tracking-number]').waitFor({ timeout: 30_000 });

    await patientStatus(page, 'dispatched');
    await page.getByRole('heading', { name: 'Month 1' }).waitFor();
    await page.getByText('£19.99 a month').waitFor();
    await screenshot(page, 'uk-20-instalment-month-1-dispatched');

    // On day 1 of the plan renewing is not the next step: no "Renew your plan" card, only a quiet
    // link. Renewing early anyway, the patient re-confirms the answers on record...
    await page.locator('[data-renewal="early"]').waitFor();
    await expect(page.getByRole('heading', { name: 'Renew your plan' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Renew my plan' }).count()).resolves.toBe(0);
    await screenshot(page, 'uk-20a-renew-early-link');
    await page.getByRole('button', { name: 'Renew early' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/consultations/') && !url.pathname.endsWith(id));
    await page.getByRole('heading', { name: 'Re-confirm your answers' }).waitFor();
    const renewalId = consultationIdOf(page);
    await screenshot(page, 'uk-21-renewal-reconfirm');
    await page.getByRole('button', { name: 'Send my consultation' }).click();
    await page.getByLabel(/^1-month plan/).check();
    await page.getByRole('button', { name: 'Continue to secure payment' }).click();
    await payOnStripe(page);
    await patientStatus(page, 'in_clinical_review');

    // ...and the pharmacist sees the overlap first and loud.
    await pharmacist.page.goto('/review');
    const renewal = queueEntry(pharmacist.page, renewalId);
    await renewal.getByText('Renewal overlap:').waitFor();
    await renewal.getByRole('link').click();
    const banner = pharmacist.page.getByRole('note', { name: 'Renewal overlap' });
    await banner.getByText(/The previous plan \(.+\) is still active/i).waitFor();
    await screenshot(pharmacist.page, 'uk-22-review-renewal-overlap');
  }, 90_000);

  it('an auto-denied consultation tells the patient to see their GP and never why', async () => {
    const { page } = await person(PHONE);
    const id = await startConsultation(page, HAIR_LOSS, 'Hart');
    await aboutYou(page, 'Female');
    await stepHeading(page, 'Your hair loss');
    await group(page, 'Which best describes your hair loss?').getByLabel('Patches, or sudden loss').check();
    await group(page, 'Do you have, or have you had, any of the following?')
      .getByLabel('None of these')
      .check();
    await saveStep(page);
    await medicinesAndConfirm(page);
    await page.getByRole('button', { name: 'Send my consultation' }).click();

    await page.getByRole('heading', { name: 'This treatment is not suitable for you' }).waitFor();
    await page.getByText(AUTO_DENY_PATIENT_MESSAGE).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/licensed|alopecia|patch|women|female|reason|rule/i);
    await expect(page.getByRole('button', { name: /payment/i }).count()).resolves.toBe(0);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-23-auto-denied-phone');
    expect(await eventTypes(id)).toContain('ConsultationAutoDenied');

    // The link in the first e-mail opens the same ending in another browser, and leaves the address bar.
    const welcome = await platform.standIns.mailbox.waitFor(
      (m) => m.subject === 'Your consultation has started' && (m.text ?? '').includes(id),
      30_000,
    );
    // The UK business (UK_PHARMACY_NAME's default) signs the e-mail and heads the patient's pages.
    expect(welcome.text).toContain('— The Northfield Online Pharmacy team');
    await page.locator('header .brand', { hasText: 'Northfield Online Pharmacy' }).waitFor();
    const link = /http:\/\/127\.0\.0\.1:\d+\/consultations\/\S+#token=\S+/.exec(welcome.text ?? '')?.[0];
    expect(link).toBeTruthy();
    const elsewhere = await person(PHONE);
    await elsewhere.page.goto(link!);
    await elsewhere.page.getByText(AUTO_DENY_PATIENT_MESSAGE).waitFor();
    expect(new URL(elsewhere.page.url()).hash).toBe('');
    // Without the key (a new tab's storage is empty) the page asks for the e-mailed link.
    const stranger = await person(PHONE);
    await stranger.page.goto(`/consultations/${id}`);
    await stranger.page.getByRole('heading', { name: 'Open your consultation from your e-mail' }).waitFor();
    // A key in the query (as links sent before the fragment carried it) still works, and is cleared too.
    const token = new URLSearchParams(new URL(link!).hash.slice(1)).get('token')!;
    const fromQuery = await person(PHONE);
    await fromQuery.page.goto(`/consultations/${id}?token=${token}`);
    await fromQuery.page.getByText(AUTO_DENY_PATIENT_MESSAGE).waitFor();
    expect(new URL(fromQuery.page.url()).search).toBe('');
  }, 60_000);

  it('exceptions: a photo ID when IDU cannot confirm, a clinician’s question and the reply, a cancellation refunded', async () => {
    const { page } = await person(PHONE);
    // IDU's stand-in fails surnames starting "Fail": the patient is asked for a photo ID.
    const id = await startConsultation(page, HAIR_LOSS, 'Failwright');
    await aboutYou(page);
    await group(page, 'Which best describes your hair loss?').getByLabel('Both').check();
    await group(page, 'Do you have, or have you had, any of the following?')
      .getByLabel('None of these')
      .check();
    await saveStep(page);
    await medicinesAndConfirm(page);
    await page.getByRole('button', { name: 'Send my consultation' }).click();
    await page.getByRole('button', { name: 'Continue to secure payment' }).click();
    await payOnStripe(page);

    await patientStatus(page, 'id_document_requested');
    await page.getByLabel('Driving licence').check();
    await page.getByLabel('Photo of your driving licence').setInputFiles({
      name: 'licence.png',
      mimeType: 'image/png',
      buffer: cardPng(600, 400, [20, 120, 60], true),
    });
    await page.getByRole('img', { name: 'Preview of your driving licence' }).waitFor();
    await page.getByText('Your ID is uploaded.').waitFor({ timeout: 30_000 });
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'uk-24-id-uploaded-phone');
    await patientStatus(page, 'id_manual_review');

    // The team looks at the document and confirms it (on a phone: the staff pages fold too).
    const team = await person(PHONE);
    await signIn(team.page, platform.staff.ops);
    await team.page.goto('/pharmacy?view=identity');
    await queueEntry(team.page, id).getByRole('link').click();
    await team.page.getByRole('img', { name: 'The identity document the patient uploaded' }).waitFor();
    await team.page.getByLabel('The ID matches the patient').check();
    await team.page.getByLabel('Reason').fill('Licence photo and details match');
    await expectNoHorizontalOverflow(team.page);
    await screenshot(team.page, 'uk-25-pharmacy-id-review-phone');
    await team.page.getByRole('button', { name: 'Record the identity decision' }).click();
    await team.page.getByText('Identity confirmed: the case goes to clinical review.').waitFor();

    // The prescriber asks a question; the patient reads it and replies; the case resumes.
    const prescriber = await person(PHONE);
    await clinicianSignIn(prescriber.page, platform.staff.prescriber);
    await queueEntry(prescriber.page, id).getByRole('link').click();
    await prescriber.page.getByRole('heading', { name: 'Answers' }).waitFor();
    await expectNoHorizontalOverflow(prescriber.page);
    // The GMC number this prescriber approved with in the first journey is offered again.
    await expect(prescriber.page.getByLabel('Your GMC number').inputValue()).resolves.toBe('7654321');
    await prescriber.page
      .getByLabel('Question for the patient')
      .fill('How long have you noticed the thinning?');
    await prescriber.page.getByRole('button', { name: 'Send question' }).click();
    await prescriber.page.getByText('Question sent').waitFor();
    await patientStatus(page, 'awaiting_response');
    await page.getByText('How long have you noticed the thinning?').waitFor();
    await page.getByLabel('Your reply').fill('About two years, slowly.');
    await screenshot(page, 'uk-26-message-reply-phone');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await patientStatus(page, 'in_clinical_review');
    await prescriber.page.getByText('About two years, slowly.').waitFor({ timeout: 30_000 });
    // With the reply in, the case is back for a decision: "Question sent…" is no longer true.
    await prescriber.page.getByText('Question sent').waitFor({ state: 'detached', timeout: 30_000 });
    await prescriber.page.getByRole('button', { name: 'Send question' }).waitFor();
    await screenshot(prescriber.page, 'uk-26a-review-after-reply-phone');

    // The patient changes their mind; the team cancels and refunds.
    await page.getByText('Ask to cancel this order').click();
    await page.getByLabel('Why do you want to cancel?').fill('I have decided to see my GP instead.');
    await page.getByRole('button', { name: 'Ask to cancel' }).click();
    await page.getByText('You have asked us to cancel.').waitFor();
    await team.page.goto('/pharmacy?view=exceptions');
    await queueEntry(team.page, id)
      .getByText(/Cancellation requested/)
      .waitFor({ timeout: 30_000 });
    await queueEntry(team.page, id).getByRole('link').click();
    const cancel = team.page.getByRole('region', { name: 'Cancellation requested' });
    await cancel
      .getByText('I have decided to see my GP instead.', { exact: false })
      .waitFor({ timeout: 30_000 });
    await expectNoHorizontalOverflow(team.page);
    await cancel.getByLabel('Reason').fill('Patient asked by message');
    await cancel.getByRole('button', { name: 'Cancel and refund' }).click();
    await cancel
      .getByRole('alertdialog', { name: 'Cancel and refund?' })
      .getByRole('button', { name: 'Yes, cancel and refund' })
      .click();
    await patientStatus(page, 'refunded');
    await page.getByText('£24.95 refunded to your card').waitFor();
    await screenshot(page, 'uk-27-refunded-phone');
    await team.page.goto('/pharmacy/stock');
    await team.page.getByRole('list', { name: 'Stock by product' }).waitFor();
    await expectNoHorizontalOverflow(team.page);
  }, 90_000);
});
