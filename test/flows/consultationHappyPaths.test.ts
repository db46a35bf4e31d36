import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, manualClock } from '../../src/platform/clock.js';
import {
  type ConsultationSteps,
  consultationSteps,
  HAIR_LOSS,
  hairLossAnswers,
  SILDENAFIL,
} from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

/** The happy path of each order type, through the public API with every vendor stand-in. */
const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

const MONTH = 31 * DAY;
const stockOf = async (productId: string) =>
  (await steps.patient.get(`/api/catalogue/${productId}`)).body.stock.onHand as number;

describe('catalogue', () => {
  it('lists every product as POM or P with its plans, prices in pence and stock level, and no auto-deny rules', async () => {
    const { products } = (await steps.patient.get('/api/catalogue')).body;
    expect(products).toHaveLength(6);
    const hairLoss = products.find((p: { id: string }) => p.id === HAIR_LOSS);
    expect(hairLoss).toMatchObject({
      kind: 'POM',
      pricePence: 2_495,
      stock: { onHand: 120, level: 'in_stock' },
      plans: expect.arrayContaining([
        {
          kind: 'one_off',
          price: { monthlyPence: 2_495, chargeCount: 1, firstChargePence: 2_495, totalPence: 2_495 },
        },
        { kind: 'instalment', months: 3, price: expect.objectContaining({ totalPence: 7_485 }) },
      ]),
    });
    expect(products.find((p: { id: string }) => p.id === SILDENAFIL).kind).toBe('P');
    const product = (await steps.patient.get(`/api/catalogue/${HAIR_LOSS}`)).body;
    expect(product.questionnaire.steps.map((s: { id: string }) => s.id)).toEqual([
      'about-you',
      'hair-loss',
      'medicines',
      'confirm',
    ]);
    expect(JSON.stringify(product)).not.toMatch(/autoDeny|reasonForClinicalRecord/);
  });
});

describe('POM one-off: consultation to the door', () => {
  it('goes through payment, IDU, prescriber, SignatureRx (7A), GP letter, PMR, slip, Royal Mail and delivery', async () => {
    const stockBefore = await stockOf(HAIR_LOSS);
    const session = await steps.start(HAIR_LOSS);
    await steps.settle();
    const welcome = steps.mailsTo(session.email).find((m) => m.subject === 'Your consultation has started');
    // The key travels in the fragment, which browsers never send to a server.
    expect(welcome?.text).toContain(`/consultations/${session.id}#token=${session.token}`);
    expect(welcome?.text).not.toContain('?token=');
    expect(
      (
        await steps.patient.get(`/api/consultations/${session.id}`, {
          'x-consultation-token': 'x'.repeat(43),
        })
      ).status,
    ).toBe(401);

    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    expect((await steps.view(session)).answers).toMatchObject({ pattern: 'crown' });
    expect((await steps.submit(session)).status).toBe('awaiting_payment');
    const checkout = await steps.checkout(session, { kind: 'one_off' });
    expect(checkout).toMatchObject({ amountPence: 2_495, plan: { kind: 'one_off' } });
    expect((await steps.view(session)).checkout).toMatchObject({ url: checkout.url, amountPence: 2_495 });
    await steps.pay(checkout.checkoutSessionId);
    await steps.expectStatus(session, 'in_clinical_review');

    const queue = (await steps.prescriber.get('/api/review/cases')).body;
    expect(queue.queue).toBe('prescriber');
    expect(queue.items.map((i: { consultationId: string }) => i.consultationId)).toContain(session.id);
    expect(steps.mailsTo('prescribers@pharmacy.example.org').map((m) => m.subject)).toContain(
      'New consultation to review (prescriber)',
    );

    await steps.prescriber.post(`/api/review/cases/${session.id}/approve`, {
      notes: 'Suitable',
      registrationNumber: '7654321',
    });
    await steps.expectStatus(session, 'approved');
    const rx = harness.standIns.signatureRx.prescriptions().find((p) => p.clinicReference === session.id)!;
    expect(rx).toMatchObject({
      status: 'awaiting_signature',
      durationMonths: 1,
      prescriber: { registrationNumber: '7654321' },
    });
    expect(
      (await steps.prescriber.get(`/api/review/cases/${session.id}`)).body.prescription.signingUrl,
    ).toBeTruthy();
    harness.standIns.signatureRx.sign(rx.id);
    await steps.expectStatus(session, 'dispatch_pending');

    // Phase 8: GP letter (PDF), patient message, pharmacy queue.
    const letter = steps.mailsTo('gp-letters@nhs-relay.example.org').at(-1)!;
    expect(letter.subject).toBe('Patient treatment notification for Park View Surgery');
    expect(letter.attachments[0]).toMatchObject({
      contentType: 'application/pdf',
      filename: 'gp-letter.pdf',
    });
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('Your treatment has been approved');
    expect(steps.mailsTo('pharmacy-team@pharmacy.example.org').map((m) => m.subject)).toContain(
      'To dispense: Follimax finasteride 1 mg tablets (hair loss) (supply 1)',
    );
    const pmr = harness.standIns.titanPmr.records().orders.find((o) => o.externalReference === session.id);
    expect(pmr?.authorisation).toMatchObject({ type: 'prescription', prescriptionId: rx.id });
    const dispensing = (await steps.ops.get('/api/pharmacy/consultations?view=dispensing')).body.items;
    expect(dispensing.map((i: { consultationId: string }) => i.consultationId)).toContain(session.id);

    const slip = await steps.ops.call('GET', `/api/pharmacy/consultations/${session.id}/slip`);
    expect(slip.headers.get('content-type')).toBe('application/pdf');
    // Opening the PDF (or a browser prefetching it) is a read, not a print: packing still waits.
    const unprinted = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/pack`, {});
    expect(unprinted.body.code).toBe('SLIP_NOT_PRINTED');
    await steps.dispatch(session);
    await steps.expectStatus(session, 'dispatched');
    expect(await stockOf(HAIR_LOSS)).toBe(stockBefore - 1);
    const booked = harness.standIns.royalMail.orders().find((o) => o.orderReference === `${session.id}-1`);
    expect(booked?.serviceCode).toBe('TPN');
    expect((await fetch(`${harness.url}/api/pharmacy/consultations/${session.id}/label`)).status).toBe(401);
    expect((await steps.ops.call('GET', `/api/pharmacy/consultations/${session.id}/label`)).status).toBe(200);
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('Your order is on its way');

    await steps.scan(session, 'in_transit');
    await steps.scan(session, 'delivered');
    await steps.expectStatus(session, 'delivered');
    expect((await steps.view(session)).tracking.map((t: { status: string }) => t.status)).toEqual([
      'in_transit',
      'delivered',
    ]);

    // A one-off's month runs out: the plan completes and the patient is invited to reorder.
    await steps.advance(MONTH);
    await steps.expectStatus(session, 'plan_completed');
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('Your plan has ended');
    expect(await steps.parked()).toEqual([]);
  });
});

describe('P instalment plan (3 months)', () => {
  it('is approved by a pharmacist (no Rx), charged each month by the clock, auto-dispatched, and ends by itself', async () => {
    const stockBefore = await stockOf(SILDENAFIL);
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'instalment', months: 3 });
    await steps.expectStatus(session, 'in_clinical_review');
    expect((await steps.prescriber.get(`/api/review/cases/${session.id}`)).status).toBe(403);
    const queue = (await steps.pharmacist.get('/api/review/cases')).body;
    expect(queue.queue).toBe('pharmacist');
    expect(queue.items.map((i: { consultationId: string }) => i.consultationId)).toContain(session.id);

    await steps.approve(session, SILDENAFIL);
    await steps.expectStatus(session, 'dispatch_pending');
    expect(
      harness.standIns.signatureRx.prescriptions().filter((p) => p.clinicReference === session.id),
    ).toEqual([]);
    const pmr = harness.standIns.titanPmr.records().orders.find((o) => o.externalReference === session.id);
    expect(pmr?.authorisation).toMatchObject({ type: 'pharmacist_approval' });

    await steps.dispatch(session);
    await steps.scan(session, 'delivered');
    await steps.expectStatus(session, 'delivered');

    for (const month of [2, 3]) {
      await steps.advance(MONTH);
      // Charged on the saved card, then packed and booked with no one looking again.
      await steps.expectStatus(session, 'dispatched');
      await steps.scan(session, 'delivered');
      await steps.expectStatus(session, 'delivered');
      const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
      expect(detail.charges.map((c: { number: number }) => c.number)).toEqual(
        Array.from({ length: month }, (_, i) => i + 1),
      );
      expect(detail.shipments).toHaveLength(month);
    }
    await steps.advance(MONTH);
    await steps.expectStatus(session, 'plan_completed');
    await steps.advance(MONTH);

    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    const intents = [...harness.standIns.stripe.state.paymentIntents.values()].filter(
      (p) => p.customer === detail.stripeCustomerId && p.status === 'succeeded',
    );
    expect(intents.map((p) => p.amount)).toEqual([1_999, 1_999, 1_999]);
    expect(detail.charges).toHaveLength(3);
    expect(await stockOf(SILDENAFIL)).toBe(stockBefore - 3);
    expect(await steps.parked()).toEqual([]);
  });
});
