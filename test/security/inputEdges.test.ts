import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/eventstore/postgres/database.js';
import { buildHttpApp, type HttpDeps } from '../../src/http/app.js';
import { systemClock } from '../../src/platform/clock.js';
import { silentLogger } from '../../src/platform/logger.js';
import { apiClient, eventually, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(() => harness?.close());

const intakeHeaders = () => ({
  'x-api-key': harness.composition.intakeApiKey,
  'content-type': 'application/xml',
});

describe('input and edge gaps (finding 6)', () => {
  it('refuses a NewRx sent as text/plain', async () => {
    const response = await apiClient(harness.url).post(
      '/api/intake',
      await newRxWith(`plain-${Date.now()}`),
      {
        ...intakeHeaders(),
        'content-type': 'text/plain',
      },
    );
    expect(response.status).toBe(415);
  });

  it('judges implausible dates of birth as validation issues', async () => {
    const api = apiClient(harness.url);
    await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    for (const dob of ['0001-01-01', '1850-01-01']) {
      const intake = await api.post(
        '/api/intake',
        await newRxWith(`dob-${dob}-${Date.now()}`, {
          '<Date>1979-03-14</Date>': `<Date>${dob}</Date>`,
          // A patient of their own, so the birth date is not judged against an earlier record.
          'MRN-0042117': `MRN-DOB-${dob}`,
        }),
        intakeHeaders(),
      );
      expect(intake.status).toBe(202);
      const order = await eventually(async () => {
        const detail = (await api.get(`/api/orders/${intake.body.orderId}`)).body;
        return typeof detail.status === 'string' && detail.status !== 'received' && detail;
      }, 'validation');
      expect(order.status, dob).toBe('validation_issue');
      expect(
        order.validationIssues.map((i: { code: string; field: string }) => `${i.code} ${i.field}`),
      ).toContain('DOB_IMPLAUSIBLE patient.dateOfBirth');
    }
  });

  it('refuses a 500 KB MessageID before claiming it', async () => {
    const huge = 'M'.repeat(500 * 1024);
    const response = await apiClient(harness.url).post('/api/intake', await newRxWith(huge), intakeHeaders());
    expect(response.status).toBe(400);
    const { rows } = await harness.db.pool.query(
      "SELECT count(*)::int AS n FROM events WHERE length(data->>'messageId') > 1000",
    );
    expect(rows[0].n).toBe(0);
  });

  it('answers an oversized body with a 413 that Node’s own fetch can read', async () => {
    const tooBig = `<Message>${'x'.repeat(40 * 1024 * 1024)}</Message>`;
    const intake = await fetch(`${harness.url}/api/intake`, {
      method: 'POST',
      headers: intakeHeaders(),
      body: tooBig,
    });
    expect(intake.status).toBe(413);
    expect(intake.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await intake.json()) as { status: number }).status).toBe(413);

    const login = await fetch(`${harness.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.example', password: 'p'.repeat(3 * 1024 * 1024) }),
    });
    expect(login.status).toBe(413);
  });

  it('serves /docs with security headers', async () => {
    for (const path of ['/docs', '/docs/json', '/docs/static/index.html']) {
      const response = await fetch(`${harness.url}${path}`, { redirect: 'manual' });
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('keeps neither the intake key nor the link secret in the database in plaintext', async () => {
    const { rows } = await harness.db.pool.query('SELECT * FROM platform_secrets');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(harness.composition.intakeApiKey);
    expect(stored).not.toContain(harness.composition.linkSecret);
  });

  it('answers /api/health with 503 while the database is unreachable', async () => {
    expect((await fetch(`${harness.url}/api/health`)).status).toBe(200);
    // The same HTTP app over a database that refuses every connection (nothing listens on port 1).
    const pool = createPool('postgres://nobody:nothing@127.0.0.1:1/pharmacy');
    const app = await buildHttpApp({
      ...({} as HttpDeps),
      pool,
      store: harness.composition.platform.store,
      clock: systemClock,
      logger: silentLogger,
    });
    try {
      const down = await app.inject({ url: '/api/health' });
      expect(down.statusCode).toBe(503);
      expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(down.headers['retry-after']).toBeDefined();
    } finally {
      await app.close();
      await pool.end();
    }
  });

  it('closes what an HTTP app opened when building it fails part-way', async () => {
    let closed = false;
    const building = buildHttpApp({
      ...({} as HttpDeps),
      pool: harness.composition.platform.http.pool,
      store: harness.composition.platform.store,
      clock: systemClock,
      logger: silentLogger,
      extend: async (app) => {
        app.addHook('onClose', async () => {
          closed = true;
        });
        throw new Error('an extension that cannot start');
      },
    });
    await expect(building).rejects.toThrow('an extension that cannot start');
    expect(closed).toBe(true);
  });
});
