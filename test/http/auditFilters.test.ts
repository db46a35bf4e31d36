import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore, EventToAppend } from '../../src/eventstore/types.js';
import { auditRoutes } from '../../src/http/audit/auditRoutes.js';
import { createSession, createStaffUser, staffAuthPlugin } from '../../src/http/auth/index.js';
import { sendError } from '../../src/http/errors.js';
import { registerContracts } from '../../src/http/validation.js';
import { HOUR, systemClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { fileAnchors } from '../../src/projections/audit/anchors.js';
import { createAuditProjection } from '../../src/projections/audit/auditProjection.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';
import { rebuildOnPostgres } from '../support/rebuild.js';

/**
 * The auditor's export filters: a case (an order or a UK consultation), a patient, a staff member,
 * an event type and a time range, alone and together.
 */
const START = Date.parse('2026-11-01T00:00:00.000Z');
const AUDIT_KEY = auditKey('a test audit key, at least thirty-two characters');
const PATIENT_REF = 'pref_amelia_hart';
const PATIENT_EMAIL = 'amelia.hart@example.co.uk';
const MRN = 'MedicalRecordIdentificationNumberEHR:MRN-0042117';

let db: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let auditorToken: string;
let pharmacistId: string;
const ukCase = newId(); // Amelia's consultation
const otherCase = newId(); // someone else's consultation
const usOrder = newId(); // Amelia's US order (same e-mail)
let clock = 0;

const at = (type: string, actor: string, data: unknown = {}): EventToAppend => {
  clock += 1;
  const event = anEvent(type, data);
  return {
    ...event,
    metadata: { ...event.metadata, actor, occurredAt: new Date(START + clock * HOUR).toISOString() },
  };
};

const insertConsultation = (id: string, patientRef: string, email: string) =>
  db.pool.query(
    `INSERT INTO consultations (consultation_id, patient_ref, patient_email, status, status_since, updated_at,
       last_event_position, version, detail)
     VALUES ($1, $2, $3, 'approved', now(), now(), 0, 1, '{}')`,
    [id, patientRef, email],
  );

beforeAll(async () => {
  db = await createTestDatabase();
  store = createPostgresEventStore(db.pool);
  const pharmacist = await createStaffUser(
    { pool: db.pool, store },
    {
      email: 'priya.shah@pharmacy.example.org',
      password: 'correct horse battery staple',
      displayName: 'Priya Shah',
      roles: ['pharmacist'],
    },
  );
  pharmacistId = pharmacist.id;
  const auditor = await createStaffUser(
    { pool: db.pool, store },
    {
      email: 'ada.auditor@pharmacy.example.org',
      password: 'correct horse battery staple',
      displayName: 'Ada Auditor',
      roles: ['auditor'],
    },
  );
  auditorToken = (await createSession(db.pool, auditor.id, systemClock)).token;
  const priya = `staff:${pharmacistId}`;

  await store.appendToStream(`consultation-${ukCase}`, [
    at('ConsultationStarted', 'patient'),
    at('ConsultationSubmitted', 'patient'),
    at('ConsultationApproved', priya, { notes: 'Suitable' }),
  ]);
  await store.appendToStream(`consultationaccount-${ukCase}`, [at('CheckoutPaid', 'process:stripe')]);
  await store.appendToStream(`access-${ukCase}`, [
    at('PatientDataAccessed', priya, { resource: 'consultation' }),
  ]);
  await store.appendToStream(`consultation-${otherCase}`, [
    at('ConsultationStarted', 'patient'),
    at('ConsultationDenied', priya, { reason: 'Not suitable' }),
  ]);
  await store.appendToStream(`order-${usOrder}`, [
    at('PrescriptionReceived', 'process:intake'),
    at('OrderCancelled', 'staff:someone-else', { reason: 'duplicate' }),
  ]);
  await rebuildOnPostgres(db, createAuditProjection(AUDIT_KEY));

  await insertConsultation(ukCase, PATIENT_REF, PATIENT_EMAIL);
  await insertConsultation(otherCase, 'pref_someone_else', 'someone@example.co.uk');
  await db.pool.query(
    `INSERT INTO orders (order_id, status, status_since, received_at, updated_at, message_id, patient_email,
       last_event_position, version, detail)
     VALUES ($1, 'cancelled', now(), now(), now(), 'm1', $2, 0, 1, $3)`,
    [usOrder, PATIENT_EMAIL.toUpperCase(), { patientKey: MRN }],
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
    audit: { key: AUDIT_KEY, anchors: fileAnchors('/nonexistent'), anchorNow: async () => null },
    reportTitle: 'Northfield Pharmacy',
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const exported = async (params: Record<string, string>) => {
  const response = await app.inject({
    method: 'GET',
    url: `/api/audit/export?${new URLSearchParams({ format: 'ndjson', ...params })}`,
    headers: { authorization: `Bearer ${auditorToken}` },
  });
  expect(response.statusCode, response.body).toBe(200);
  return (
    response.body
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { streamName: string; eventType: string; actorName: string | null })
      // The export's own access record lands after its snapshot; earlier exports' records may match.
      .filter(
        (entry) => entry.eventType !== 'PatientDataAccessed' || !entry.streamName.startsWith('access-staff'),
      )
  );
};
const streamsOf = (entries: { streamName: string }[]) =>
  [...new Set(entries.map((e) => e.streamName))].sort();

describe('audit export filters', () => {
  it('a UK consultation as a case: its own stream, its account and the reads of it, nothing else', async () => {
    const entries = await exported({ consultationId: ukCase });
    expect(streamsOf(entries)).toEqual(
      [`access-${ukCase}`, `consultation-${ukCase}`, `consultationaccount-${ukCase}`].sort(),
    );
    expect(entries.map((e) => e.eventType)).toEqual([
      'ConsultationStarted',
      'ConsultationSubmitted',
      'ConsultationApproved',
      'CheckoutPaid',
      'PatientDataAccessed',
    ]);
  });

  it('the file is named after the consultation', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/audit/export?consultationId=${ukCase}`,
      headers: { authorization: `Bearer ${auditorToken}` },
    });
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="audit-consultation-${ukCase}.csv"`,
    );
  });

  it('a patient by reference, MRN or e-mail: every case of theirs, UK and US', async () => {
    const ukOnly = [`access-${ukCase}`, `consultation-${ukCase}`, `consultationaccount-${ukCase}`];
    expect(streamsOf(await exported({ patient: PATIENT_REF }))).toEqual(ukOnly.sort());
    expect(streamsOf(await exported({ patient: MRN }))).toEqual([`order-${usOrder}`]);
    expect(streamsOf(await exported({ patient: PATIENT_EMAIL }))).toEqual(
      [...ukOnly, `order-${usOrder}`].sort(),
    );
  });

  it('a staff member by id or e-mail, with their name beside the id', async () => {
    for (const staff of [pharmacistId, 'Priya.Shah@pharmacy.example.org']) {
      const entries = await exported({ staff });
      expect(entries.map((e) => e.eventType)).toEqual([
        'ConsultationApproved',
        'PatientDataAccessed',
        'ConsultationDenied',
      ]);
      expect(new Set(entries.map((e) => e.actorName))).toEqual(new Set(['Priya Shah']));
    }
  });

  it('an event type and a time range combine with the other filters', async () => {
    expect(streamsOf(await exported({ eventType: 'ConsultationDenied' }))).toEqual([
      `consultation-${otherCase}`,
    ]);
    // The UK case's first two events happened in hours 1 and 2.
    const early = await exported({
      consultationId: ukCase,
      from: new Date(START).toISOString(),
      to: new Date(START + 2 * HOUR + 1).toISOString(),
    });
    expect(early.map((e) => e.eventType)).toEqual(['ConsultationStarted', 'ConsultationSubmitted']);
    expect(await exported({ staff: pharmacistId, eventType: 'OrderCancelled' })).toEqual([]);
  });

  it('refuses two cases at once, a malformed consultation id and control characters with a problem', async () => {
    for (const query of [
      `orderId=${usOrder}&consultationId=${ukCase}`,
      'consultationId=not-a-consultation',
      'patient=%00Amelia',
      'staff=a%0Ab',
      'eventType=Drop%20table',
    ]) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/audit/export?${query}`,
        headers: { authorization: `Bearer ${auditorToken}` },
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('the recent rows of one consultation, for the auditor’s screen', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/audit/entries?consultationId=${ukCase}`,
      headers: { authorization: `Bearer ${auditorToken}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const streams = new Set((response.json().items as { streamName: string }[]).map((i) => i.streamName));
    expect([...streams].every((s) => s.endsWith(ukCase))).toBe(true);
    expect(streams.has(`consultation-${ukCase}`)).toBe(true);
  });
});
