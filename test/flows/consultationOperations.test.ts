import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, manualClock } from '../../src/platform/clock.js';
import {
  type ConsultationSteps,
  consultationSteps,
  HAIR_LOSS,
  SILDENAFIL,
} from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

/** Who may see and do what, the access trail, and stock: its alerts and the dispatch it blocks. */
const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

const accessesOf = async (subjectId: string) =>
  (
    await harness.db.pool.query<{ actor: string; resource: string }>(
      `SELECT metadata->>'actor' AS actor, data->>'resource' AS resource FROM events
        WHERE stream_name = $1 AND event_type = 'PatientDataAccessed' ORDER BY global_position`,
      [`access-${subjectId}`],
    )
  ).rows;

describe('roles', () => {
  it('a patient reaches only their own consultation, with its key', async () => {
    const mine = await steps.start(HAIR_LOSS);
    const theirs = await steps.start(HAIR_LOSS);
    expect((await steps.patient.get(`/api/consultations/${mine.id}`)).status).toBe(401);
    expect((await steps.patient.get(`/api/consultations/${theirs.id}`, mine.headers)).status).toBe(401);
    const saved = await steps.patient.call(
      'PUT',
      `/api/consultations/${theirs.id}/answers/about-you`,
      { answers: {} },
      mine.headers,
    );
    expect(saved.status).toBe(401);
    expect((await steps.patient.get(`/api/consultations/${mine.id}`, mine.headers)).status).toBe(200);
    // Staff routes are not open to a patient key.
    expect((await steps.patient.get(`/api/pharmacy/consultations/${mine.id}`, mine.headers)).status).toBe(
      401,
    );
  });

  it('prescribers see the POM queue, pharmacists the P queue, ops and pharmacists the pharmacy queue', async () => {
    const pom = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    const p = await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' });
    await steps.settle();
    const ids = (body: { items: { consultationId: string }[] }) => body.items.map((i) => i.consultationId);

    expect(ids((await steps.prescriber.get('/api/review/cases')).body)).toEqual([pom.id]);
    expect(ids((await steps.pharmacist.get('/api/review/cases')).body)).toEqual([p.id]);
    expect((await steps.prescriber.get('/api/review/cases?queue=pharmacist')).status).toBe(403);
    expect((await steps.pharmacist.get(`/api/review/cases/${pom.id}`)).status).toBe(403);
    expect((await steps.ops.get('/api/review/cases')).status).toBe(403);

    expect((await steps.ops.get('/api/pharmacy/consultations?view=all')).status).toBe(200);
    expect((await steps.pharmacist.get('/api/pharmacy/consultations?view=all')).status).toBe(200);
    expect((await steps.prescriber.get('/api/pharmacy/consultations?view=all')).status).toBe(403);
    const auditor = await steps.signedIn('auditor');
    expect((await auditor.get(`/api/pharmacy/consultations/${p.id}`)).status).toBe(403);
    expect(
      (await steps.prescriber.post(`/api/pharmacy/consultations/${pom.id}/cancel`, { reason: 'not mine' }))
        .status,
    ).toBe(403);
  });

  it('records every read of patient data: by the patient, the clinician and the pharmacy team', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    await steps.view(session);
    await steps.prescriber.get(`/api/review/cases/${session.id}`);
    await steps.ops.get(`/api/pharmacy/consultations/${session.id}`);
    await steps.ops.get(`/api/pharmacy/consultations/${session.id}/events`);
    await steps.settle();
    const accesses = await accessesOf(session.id);
    expect(accesses).toEqual(
      expect.arrayContaining([
        { actor: `patient:${session.id}`, resource: 'consultation' },
        { actor: expect.stringMatching(/^staff:/), resource: 'consultation-case' },
        { actor: expect.stringMatching(/^staff:/), resource: 'consultation' },
        { actor: expect.stringMatching(/^staff:/), resource: 'consultation-events' },
      ]),
    );
    // The reads reach the hash-chained audit trail like any change.
    const audited = await harness.db.pool.query(
      'SELECT count(*)::int AS n FROM audit_log WHERE stream_name = $1',
      [`access-${session.id}`],
    );
    expect(audited.rows[0].n).toBe(accesses.length);
  });
});

describe('stock management', () => {
  it('e-mails the pharmacy team once when stock falls to its threshold', async () => {
    const adjust = await steps.ops.post('/api/pharmacy/stock/pollenex-fexofenadine-120mg/adjustments', {
      delta: -250,
      reason: 'Stock count after a broken case',
    });
    expect(adjust.body).toEqual({ productId: 'pollenex-fexofenadine-120mg', onHand: 50 });
    await steps.ops.post('/api/pharmacy/stock/pollenex-fexofenadine-120mg/adjustments', {
      delta: -1,
      reason: 'Damaged pack',
    });
    await steps.settle();
    const alerts = steps
      .mailsTo('pharmacy-team@pharmacy.example.org')
      .filter((m) => m.subject.startsWith('Low stock: Pollenex'));
    expect(alerts.map((m) => m.subject)).toEqual([
      'Low stock: Pollenex fexofenadine 120 mg tablets (hay fever) (50 left)',
    ]);
    const item = (await steps.ops.get('/api/pharmacy/stock')).body.items.find(
      (i: { productId: string }) => i.productId === 'pollenex-fexofenadine-120mg',
    );
    expect(item).toMatchObject({ onHand: 49, threshold: 50, low: true, outOfStock: false });
    expect((await steps.patient.get('/api/catalogue/pollenex-fexofenadine-120mg')).body.stock).toEqual({
      onHand: 49,
      level: 'low',
    });
    const refused = await steps.ops.post('/api/pharmacy/stock/pollenex-fexofenadine-120mg/adjustments', {
      delta: -100,
      reason: 'x x x',
    });
    expect(refused.body.code).toBe('NEGATIVE_STOCK');
  });

  it('blocks dispatch while out of stock, tells the team, and packs once stock is booked in', async () => {
    const onHand = (await steps.patient.get(`/api/catalogue/${HAIR_LOSS}`)).body.stock.onHand;
    await steps.ops.post(`/api/pharmacy/stock/${HAIR_LOSS}/adjustments`, {
      delta: -onHand,
      reason: 'Recall of batch',
    });
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    await steps.approve(session, HAIR_LOSS);
    await steps.expectStatus(session, 'dispatch_pending');
    await steps.printSlip(session);
    const blocked = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/pack`, {});
    expect(blocked.body.status).toBe('dispatch_pending');
    await steps.settle();
    const queue = (await steps.ops.get('/api/pharmacy/consultations?view=exceptions')).body.items;
    expect(
      queue.find((i: { consultationId: string }) => i.consultationId === session.id)?.flags.outOfStock,
    ).toBe(true);
    expect(steps.mailsTo('pharmacy-team@pharmacy.example.org').map((m) => m.subject)).toContain(
      'Dispatch blocked, out of stock: Follimax finasteride 1 mg tablets (hair loss)',
    );
    expect(
      harness.standIns.royalMail.orders().filter((o) => o.orderReference?.startsWith(session.id)),
    ).toEqual([]);

    const received = await steps.ops.post(`/api/pharmacy/stock/${HAIR_LOSS}/receipts`, {
      quantity: 24,
      note: 'Wholesaler delivery',
    });
    expect(received.body.onHand).toBe(24);
    await steps.dispatch(session);
    await steps.expectStatus(session, 'dispatched');
    expect((await steps.patient.get(`/api/catalogue/${HAIR_LOSS}`)).body.stock.onHand).toBe(23);
    expect(await steps.parked()).toEqual([]);
  });
});

describe('instalment timing', () => {
  it('holds a month’s charge until the month before has left the pharmacy, then charges and dispatches it', async () => {
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'instalment', months: 2 });
    await steps.settle();
    await steps.approve(session, SILDENAFIL);
    await steps.advance(31 * DAY); // month 2 falls due while month 1 still waits to be packed
    const waiting = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(waiting).toMatchObject({ status: 'dispatch_pending', supply: { number: 1 } });
    expect(waiting.charges).toHaveLength(1);

    await steps.dispatch(session);
    await steps.advance(DAY);
    const charged = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(charged.charges.map((c: { number: number }) => c.number)).toEqual([1, 2]);
    expect(charged).toMatchObject({ status: 'dispatched', supply: { number: 2 } });
  });
});

describe('vendor webhooks', () => {
  it('refuse a SignatureRx or Royal Mail event whose signature does not match the raw body', async () => {
    const forged = JSON.stringify({
      id: 'evt_forged',
      type: 'prescription.signed',
      createdAt: clock.now().toISOString(),
      data: {
        prescriptionId: 'rx_x',
        clinicReference: '01JQ0000000000000000000001',
        signedAt: clock.now().toISOString(),
      },
    });
    for (const path of ['/webhook/signaturerx', '/webhook/royalmail']) {
      const response = await fetch(`${harness.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=deadbeef' },
        body: forged,
      });
      expect(response.status).toBe(401);
    }
  });
});

describe('API documentation', () => {
  it('describes the consultation endpoints in the OpenAPI document', async () => {
    const doc = (await steps.patient.get('/docs/json')).body;
    for (const path of [
      '/api/catalogue',
      '/api/consultations',
      '/api/consultations/{id}/checkout',
      '/api/review/cases',
      '/api/pharmacy/consultations/{id}/pack',
      '/api/pharmacy/consultations/{id}/slip',
      '/api/pharmacy/consultations/{id}/slip/printed',
      '/api/review/cases/{id}/approve',
      '/webhook/signaturerx',
      '/webhook/royalmail',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});

describe('carrier webhooks', () => {
  it('applies a Royal Mail scan pushed before the read models have caught up with the dispatch', async () => {
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' });
    await steps.settle();
    await steps.approve(session, SILDENAFIL);
    await steps.expectStatus(session, 'dispatch_pending');
    await steps.printSlip(session);
    // Hold the consultations read model back: its projection cannot write while this lock is held.
    const lagging = await harness.db.pool.connect();
    try {
      await lagging.query('BEGIN');
      await lagging.query('LOCK TABLE consultation_shipments IN SHARE MODE');
      const packed = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/pack`, {});
      expect(packed.status, JSON.stringify(packed.body)).toBe(200);
      const store = harness.composition.platform.store;
      const dispatched = await steps.eventually(
        async () =>
          (await store.readStream(`consultation-${session.id}`)).find((e) => e.type === 'OrderDispatched'),
        'the dispatch',
      );
      const { trackingNumber } = dispatched.data as { trackingNumber: string };
      const known = await lagging.query('SELECT 1 FROM consultation_shipments WHERE tracking_number = $1', [
        trackingNumber,
      ]);
      expect(known.rowCount).toBe(0);

      // Royal Mail scans the parcel at once; the push must not be lost to the read model's lag.
      harness.standIns.royalMail.advance(trackingNumber, 'delivered', { at: clock.now() });
      await harness.standIns.royalMail.webhooksIdle();
      const statuses = (await store.readStream(`consultation-${session.id}`)).map((e) => e.type);
      expect(statuses.slice(statuses.indexOf('OrderDispatched') + 1)).not.toEqual([]);
    } finally {
      await lagging.query('ROLLBACK');
      lagging.release();
    }
    await steps.expectStatus(session, 'delivered');
  });
});
