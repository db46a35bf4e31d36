import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore, EventToAppend } from '../../src/eventstore/types.js';
import { auditRoutes } from '../../src/http/audit/auditRoutes.js';
import {
  createSession,
  createStaffUser,
  type StaffRole,
  staffAuthPlugin,
} from '../../src/http/auth/index.js';
import { sendError } from '../../src/http/errors.js';
import { registerContracts } from '../../src/http/validation.js';
import { systemClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { fileAnchors } from '../../src/projections/audit/anchors.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';

/** November 2026 is the period; one of everything happens just outside it and must not count. */
const NOVEMBER = { from: '2026-11-01', to: '2026-12-01' };
const IN = '2026-11-15T12:00:00.000Z';
const OUT = '2026-12-01T00:00:00.000Z'; // `to` is exclusive

let db: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let auditorToken: string;
let auditorId: string;
let opsToken: string;
let pharmacistId: string;
const order = newId();
const consultation = newId();
const lateConsultation = newId();

const staffMember = async (displayName: string, roles: StaffRole[]) => {
  const user = await createStaffUser(
    { pool: db.pool, store },
    {
      email: `${newId().toLowerCase()}@pharmacy.example.org`,
      password: 'correct horse battery staple',
      displayName,
      roles,
    },
  );
  return { id: user.id, token: (await createSession(db.pool, user.id, systemClock)).token };
};

const at = (occurredAt: string, type: string, actor: string, data: unknown): EventToAppend => {
  const event = anEvent(type, data);
  return { ...event, metadata: { ...event.metadata, actor, occurredAt } };
};

beforeAll(async () => {
  db = await createTestDatabase();
  store = createPostgresEventStore(db.pool);
  const auditor = await staffMember('Ada Auditor', ['auditor']);
  auditorToken = auditor.token;
  auditorId = auditor.id;
  opsToken = (await staffMember('Olu Ops', ['ops'])).token;
  pharmacistId = (await staffMember('Priya Shah', ['pharmacist'])).id;
  const priya = `staff:${pharmacistId}`;

  await store.appendToStream(`order-${order}`, [
    at(IN, 'OrderCancelled', priya, { reason: 'Duplicate prescription, "second" copy', fromStatus: 'paid' }),
    at(IN, 'RefundRequested', priya, {
      refundId: 'r1',
      paymentIntentId: 'pi_1',
      amountMinor: 2500,
      currency: 'usd',
      kind: 'cancellation',
      reason: 'Duplicate prescription',
    }),
  ]);
  await store.appendToStream(`consultation-${consultation}`, [
    at(IN, 'ConsultationAutoDenied', 'system:intake', {
      ruleIds: ['hair-loss-female'],
      reasonsForClinicalRecord: ['Not licensed for women', 'Patchy loss needs a GP'],
    }),
    at(IN, 'TreatmentDenied', priya, {
      clinicianId: pharmacistId,
      role: 'pharmacist',
      reason: 'BMI too low',
    }),
    at(IN, 'RefundRequested', 'system:review', {
      reason: 'clinical_denial',
      amountPence: 4999,
      paymentIntentIds: ['pi_2'],
      requestedAt: IN,
    }),
  ]);
  await store.appendToStream(`consultation-${lateConsultation}`, [
    at(OUT, 'TreatmentDenied', priya, { clinicianId: pharmacistId, role: 'pharmacist', reason: 'December' }),
  ]);
  await store.appendToStream(`access-${order}`, [
    at(IN, 'PatientDataAccessed', priya, { resource: 'order' }),
    at(IN, 'PatientDataAccessed', 'staff:someone-gone', { resource: 'order-events' }),
  ]);
  await store.appendToStream(`access-${consultation}`, [
    at(IN, 'PatientDataAccessed', priya, { resource: 'consultation' }),
    at(OUT, 'PatientDataAccessed', priya, { resource: 'consultation' }),
  ]);

  await db.pool.query(
    `INSERT INTO orders (order_id, status, status_since, received_at, updated_at, message_id, last_event_position, version)
     VALUES ($1, 'cancelled', $2, $2, $2, 'm1', 0, 1), ($3, 'completed', $2, $2, $2, 'm2', 0, 1),
            ($4, 'completed', $5, $5, $5, 'm3', 0, 1)`,
    [order, IN, newId(), newId(), OUT],
  );
  await db.pool.query(
    `INSERT INTO consultations (consultation_id, status, status_since, started_at, updated_at, last_event_position, version, detail)
     VALUES ($1, 'denied', $2, $2, $2, 0, 1, '{}'), ($3, 'denied', $4, $4, $4, 0, 1, '{}')`,
    [consultation, IN, lateConsultation, OUT],
  );

  app = Fastify();
  // As buildHttpApp does: each route's zod contract parses its request; refusals are problems.
  registerContracts(app);
  app.setErrorHandler(sendError);
  await app.register(cookie);
  await app.register(staffAuthPlugin, { pool: db.pool, store, clock: systemClock });
  await app.register(auditRoutes, {
    pool: db.pool,
    store,
    clock: systemClock,
    audit: {
      key: auditKey('a test audit key, at least thirty-two characters'),
      anchors: fileAnchors('/x'),
      anchorNow: async () => null,
    },
    reportTitle: 'Northfield Pharmacy',
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const report = (params: Record<string, string>, token = auditorToken) =>
  app.inject({
    method: 'GET',
    url: `/api/audit/compliance-report?${new URLSearchParams(params)}`,
    headers: { authorization: `Bearer ${token}` },
  });

describe('the compliance report', () => {
  it('counts outcomes, lists refusals with reasons and who, refunds, and reads by staff member', async () => {
    const response = await report(NOVEMBER);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.period).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(body.orders).toEqual([
      { status: 'cancelled', count: 1 },
      { status: 'completed', count: 1 },
    ]);
    expect(body.consultations).toEqual([{ status: 'denied', count: 1 }]);
    expect(body.refusals).toEqual([
      {
        at: IN,
        caseId: order,
        kind: 'Order cancelled',
        reason: 'Duplicate prescription, "second" copy',
        actor: `staff:${pharmacistId}`,
        actorName: 'Priya Shah',
      },
      {
        at: IN,
        caseId: consultation,
        kind: 'Questionnaire auto-denied',
        reason: 'Not licensed for women; Patchy loss needs a GP',
        actor: 'system:intake',
        actorName: null,
      },
      {
        at: IN,
        caseId: consultation,
        kind: 'Treatment denied by clinician',
        reason: 'BMI too low',
        actor: `staff:${pharmacistId}`,
        actorName: 'Priya Shah',
      },
    ]);
    expect(
      body.refunds.map((r: { caseId: string; amountMinor: number; currency: string }) => [
        r.caseId,
        r.amountMinor,
        r.currency,
      ]),
    ).toEqual([
      [order, 2500, 'USD'],
      [consultation, 4999, 'GBP'],
    ]);
    expect(body.phiReads).toEqual([
      { actor: `staff:${pharmacistId}`, actorName: 'Priya Shah', reads: 2, subjects: 2 },
      { actor: 'staff:someone-gone', actorName: null, reads: 1, subjects: 1 },
    ]);
  });

  it('exports the same report as CSV, one section column, quoted where needed', async () => {
    const response = await report({ ...NOVEMBER, format: 'csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="compliance-2026-11-01-2026-12-01.csv"',
    );
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('section,at,case_id,item,count_or_amount_minor,currency,reason,actor,actor_name');
    expect(lines).toContain('orders_by_outcome,,,cancelled,1,,,,');
    expect(lines).toContain(
      `refusal,${IN},${order},Order cancelled,,,"Duplicate prescription, ""second"" copy",staff:${pharmacistId},Priya Shah`,
    );
    expect(lines).toContain(
      `refund,${IN},${consultation},refund requested,4999,GBP,clinical_denial,system:review,`,
    );
    expect(lines).toContain(`phi_reads,,,2 records,2,,,staff:${pharmacistId},Priya Shah`);
    expect(response.body.endsWith('\r\n')).toBe(true);
  });

  it('exports it as a PDF an inspector can file', async () => {
    const response = await report({ ...NOVEMBER, format: 'pdf' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = await PDFDocument.load(response.rawPayload);
    expect(pdf.getTitle()).toBe('Compliance report 2026-11-01 to 2026-12-01');
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
  });

  it('is recorded as a read of patient data by the auditor', async () => {
    await report(NOVEMBER);
    const { rows } = await db.pool.query(
      `SELECT data->>'resource' AS resource FROM events WHERE stream_name = $1 AND event_type = 'PatientDataAccessed'`,
      [`access-staff${auditorId}`],
    );
    expect(rows.map((r) => r.resource)).toContain(
      'compliance-report?from=2026-11-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z&format=json',
    );
  });

  it('needs a period that ends after it starts, and an auditor', async () => {
    for (const params of <Record<string, string>[]>[
      {},
      { from: '2026-11-01' },
      { from: '2026-12-01', to: '2026-11-01' },
      { ...NOVEMBER, format: 'xls' },
    ]) {
      const response = await report(params);
      expect(response.statusCode, JSON.stringify(params)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await report(NOVEMBER, opsToken)).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: '/api/audit/compliance-report?from=2026-11-01&to=2026-12-01' }))
        .statusCode,
    ).toBe(401);
  });
});
