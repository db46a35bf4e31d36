import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultationSteps, HAIR_LOSS, type PatientSession } from '../support/consultationSteps.js';
import type { Harness } from '../support/platformHarness.js';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

/**
 * An auditor follows a UK consultation as they follow a US order: its history replayed event by
 * event with staff names beside ids, and its trail exported on its own. The consultation is made
 * through the public API as its people would (patient, payment, prescriber, signature).
 */
let platform: WebPlatform;
let browser: Browser;
let consultation: PatientSession;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
  const harness = {
    url: platform.url,
    composition: platform.composition,
    http: platform.composition.http,
    standIns: platform.standIns,
    db: platform.db,
    passwords: Object.fromEntries(Object.entries(platform.staff).map(([role, s]) => [role, s.password])),
    close: async () => {},
  } satisfies Harness;
  const steps = await consultationSteps(harness);
  consultation = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
  await steps.approve(consultation, HAIR_LOSS);
  await platform.composition.platform.drain(30_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

const download = async (page: Page, link: string) => {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
};

describe('an auditor and a UK consultation', () => {
  it('replays the consultation with the prescriber named, and exports its trail alone', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.auditor);
    await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();

    await page.getByLabel('Case', { exact: true }).selectOption('consultation');
    await page.getByLabel('Consultation id').fill(consultation.id);
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL((url) => url.searchParams.get('consultation') === consultation.id);
    await page.getByRole('heading', { name: 'Consultation history replay' }).waitFor();

    // The prescriber's approval: who did it is shown by name, the record's status after it.
    const list = page.locator('ol.replay-list');
    await list.getByRole('button', { name: 'Treatment approved' }).click();
    const current = page.locator('[data-replay-event="TreatmentApproved"]');
    await current.waitFor();
    const prescriberName = (
      await platform.db.pool.query<{ display_name: string }>(
        'SELECT display_name FROM staff_users WHERE email = $1',
        [platform.staff.prescriber.email],
      )
    ).rows[0]!.display_name;
    await expect(current.locator('.actor').textContent()).resolves.toBe(prescriberName);
    await expect(page.locator('.replay-state [data-status]').textContent()).resolves.toMatch(
      /approved|prescri/i,
    );
    // The start makes the record a draft.
    await list.getByRole('button', { name: 'Consultation started' }).click();
    await page.locator('[data-replay-event="ConsultationStarted"]').waitFor();
    await expect(page.locator('.replay-state [data-status]').textContent()).resolves.toBe('Draft');
    await page.getByRole('button', { name: 'Last' }).click();
    await screenshot(page, 'auditor-consultation-replay');

    // The replay was a read of the patient's record, recorded under the consultation.
    const auditorId = (
      await platform.db.pool.query<{ id: string }>('SELECT id FROM staff_users WHERE email = $1', [
        platform.staff.auditor.email,
      ])
    ).rows[0]!.id;
    const reads = await platform.db.pool.query(
      `SELECT data FROM events WHERE stream_name = $1 AND event_type = 'PatientDataAccessed' AND metadata->>'actor' = $2`,
      [`access-${consultation.id}`, `staff:${auditorId}`],
    );
    expect(reads.rows.map((r) => r.data.resource)).toContain('consultation-events');

    await platform.composition.platform.drain(30_000);
    await expect(page.getByLabel(/This consultation only/).isChecked()).resolves.toBe(true);
    const { name, text } = await download(page, 'Download CSV');
    expect(name).toBe(`audit-consultation-${consultation.id}.csv`);
    const [header, ...rows] = text.trimEnd().split('\r\n');
    expect(header).toContain('actor_name');
    const streams = new Set(rows.map((row) => row.split(',')[8]));
    expect([...streams].every((stream) => stream?.endsWith(consultation.id))).toBe(true);
    expect(streams).toContain(`consultation-${consultation.id}`);
    expect(streams).toContain(`consultationaccount-${consultation.id}`);
    const approval = rows.find((row) => row.includes(',TreatmentApproved,'));
    expect(approval).toContain(`,${prescriberName},`);
    await context.close();
  }, 120_000);

  it('shows the compliance report for this month and downloads it as CSV and PDF', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.auditor);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { name: 'Compliance report' }).waitFor();
    const outcomes = page.getByRole('table', { name: 'UK consultations started in the period' });
    await outcomes.getByRole('cell', { name: 'Dispatch pending' }).waitFor();
    // The pharmacy team's and the prescriber's reads of the consultation, by name.
    const reads = page.locator('section[aria-labelledby="reads-heading"]');
    const prescriber = (
      await platform.db.pool.query<{ display_name: string }>(
        'SELECT display_name FROM staff_users WHERE email = $1',
        [platform.staff.prescriber.email],
      )
    ).rows[0]!.display_name;
    await reads.getByRole('cell', { name: prescriber, exact: true }).waitFor();
    await screenshot(page, 'auditor-compliance-report');

    const csv = await download(page, 'Download CSV');
    expect(csv.name).toMatch(/^compliance-\d{4}-\d{2}-01-\d{4}-\d{2}-01\.csv$/);
    expect(csv.text).toContain('consultations_by_outcome,,,dispatch_pending,1,,,,');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download PDF' }).click(),
    ]);
    const pdf = await readFile((await file.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  }, 60_000);
});
