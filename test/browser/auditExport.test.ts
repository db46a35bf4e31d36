import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPerson, screenshot, signIn } from './support/browser.js';
import { startWebPlatform, type WebPlatform } from './support/platform.js';

let platform: WebPlatform;
let browser: Browser;

const ROWS = 10_000;
const STREAMS = 100;
const DAY = 86_400_000;
/** The appended reads spread over 20 days, one every ~173 s, ending an hour ago. */
const firstAt = Date.now() - 20 * DAY - 3_600_000;
const spacing = Math.floor((20 * DAY) / ROWS);

beforeAll(async () => {
  [platform, browser] = await Promise.all([startWebPlatform(), launchChromium()]);
  // A real order's events, then 10,000 reads of patient data written straight to the store: the
  // audit projection turns every one into a hash-chained row, as it does in production.
  await platform.intake();
  const store = platform.composition.platform.store;
  for (let s = 0; s < STREAMS; s++) {
    const events = Array.from({ length: ROWS / STREAMS }, (_, i) => {
      const n = s * (ROWS / STREAMS) + i;
      return {
        id: randomUUID(),
        type: 'PatientDataAccessed',
        // Commas, quotes and a line break: the CSV must quote them and still read back the same.
        data: {
          resource: n % 7 === 0 ? `orders?q="Okafor, A"\nline ${n}` : `order ${n}`,
          purpose: 'treatment-operations',
        },
        metadata: {
          correlationId: `export-test-${n}`,
          causationId: null,
          actor: `staff:EXPORT${s}`,
          occurredAt: new Date(firstAt + n * spacing).toISOString(),
        },
      };
    });
    await store.appendToStream(`access-EXPORT${s}`, events);
  }
  await platform.composition.platform.drain(60_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
};

type TrailRow = {
  seq: string;
  event_id: string;
  global_position: string;
  occurred_at: Date;
  recorded_at: Date;
  actor: string;
  actor_name: string | null;
  event_type: string;
  stream_name: string;
  correlation_id: string;
  causation_id: string | null;
  summary: Record<string, unknown>;
  event_hash: string;
  key_id: string;
  prev_hash: string;
  hash: string;
};

/** The trail as the database holds it, in the export's columns. */
const trail = async (where = 'TRUE', params: unknown[] = []) =>
  (
    await platform.db.pool.query<TrailRow>(
      `SELECT seq, event_id, global_position, occurred_at, recorded_at, actor, s.display_name AS actor_name,
              event_type, stream_name, correlation_id, causation_id, summary, event_hash, key_id, prev_hash, hash
         FROM audit_log a LEFT JOIN staff_users s ON a.actor = 'staff:' || s.id WHERE ${where} ORDER BY seq`,
      params,
    )
  ).rows.map((r) => [
    String(r.seq),
    r.event_id,
    String(r.global_position),
    r.occurred_at.toISOString(),
    r.recorded_at.toISOString(),
    r.actor,
    r.actor_name ?? '',
    r.event_type,
    r.stream_name,
    r.correlation_id,
    r.causation_id ?? '',
    r.summary,
    r.event_hash,
    r.key_id,
    r.prev_hash,
    r.hash,
  ]);

/** CSV rows with the summary column read back as JSON, to compare with the database's jsonb. */
const exported = (csv: string) => {
  const [header, ...rows] = parseCsv(csv);
  return { header, rows: rows.map((r) => [...r.slice(0, 11), JSON.parse(r[11]!), ...r.slice(12)]) };
};

const download = async (page: Page, link: string) => {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
};

describe('the auditor’s compliance export', () => {
  it('downloads 10,000+ audit rows as CSV exactly as the trail holds them, beside a verified chain', async () => {
    const { page, context } = await newPerson(browser, platform.url);
    await signIn(page, platform.staff.auditor);
    await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await page.locator('[data-verified="ok"]').waitFor({ timeout: 30_000 });
    const verified = Number((await page.locator('[data-verified="ok"]').textContent())!.replace(/\D/g, ''));
    expect(verified).toBeGreaterThan(ROWS);
    await screenshot(page, '20-audit-export');

    const { name, text } = await download(page, 'Download CSV');
    expect(name).toBe('audit-all.csv');
    const { header, rows } = exported(text);
    expect(header).toEqual([
      'seq',
      'event_id',
      'global_position',
      'occurred_at',
      'recorded_at',
      'actor',
      'actor_name',
      'event_type',
      'stream_name',
      'correlation_id',
      'causation_id',
      'summary',
      'event_hash',
      'key_id',
      'prev_hash',
      'hash',
    ]);
    expect(rows.length).toBeGreaterThan(ROWS);
    // The export is a snapshot: the trail up to its last row, no row missing, none altered.
    const last = rows.at(-1)![0] as string;
    expect(rows).toEqual(await trail('seq <= $1', [last]));
    expect(
      rows.filter((r) => String(r[7]) === 'PatientDataAccessed' && String(r[5]).startsWith('staff:EXPORT')),
    ).toHaveLength(ROWS);
    await context.close();
  }, 120_000);

  it('exports a chosen time range, entered in the auditor’s own time zone', async () => {
    // India has no daylight saving: local time is UTC + 5:30 all year.
    const context = await browser.newContext({
      baseURL: platform.url,
      timezoneId: 'Asia/Kolkata',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signIn(page, platform.staff.auditor);
    const offset = 330 * 60_000;
    const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const from = minute(firstAt + 5 * DAY);
    const to = minute(firstAt + 6 * DAY);
    const local = (ms: number) => new Date(ms + offset).toISOString().slice(0, 16);
    await page.getByLabel('From', { exact: true }).fill(local(from));
    await page.getByLabel('To', { exact: true }).fill(local(to));

    const { text } = await download(page, 'Download CSV');
    const { rows } = exported(text);
    const expected = await trail('occurred_at >= $1 AND occurred_at < $2', [new Date(from), new Date(to)]);
    expect(rows.length).toBeGreaterThan(400);
    expect(rows).toEqual(expected);
    await context.close();
  }, 60_000);
});
