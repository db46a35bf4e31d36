import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, manualClock } from '../../src/platform/clock.js';
import {
  ANSWERS,
  type ConsultationSteps,
  consultationSteps,
  patientDetails,
  SILDENAFIL,
} from '../support/consultationSteps.js';
import { apiClient, type Harness, startHarness } from '../support/platformHarness.js';

/** The admin changes a UK product's price, pack size and availability as events. */
const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
let admin: ReturnType<typeof apiClient>;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
  admin = apiClient(harness.url);
  await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');
});
afterAll(() => harness?.close());

const MONTH = 31 * DAY;
const catalogueEntry = async (productId: string) =>
  (await steps.patient.get(`/api/catalogue/${productId}`)).body;

describe('UK product terms', () => {
  it('given a paid instalment plan, when the admin raises the price, then its later charges keep the price it was sold at and new consultations pay the new one', async () => {
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'instalment', months: 2 });
    await steps.expectStatus(session, 'in_clinical_review');

    const raised = await admin.call('PUT', `/api/reference/uk-products/${SILDENAFIL}`, {
      pricePence: 2_499,
      packSize: '8 tablets (4 × 2)',
      reason: 'supplier price rise',
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    expect(raised.body.product).toMatchObject({
      pricePence: 2_499,
      packSize: '8 tablets (4 × 2)',
      available: true,
    });
    await steps.settle();
    expect(await catalogueEntry(SILDENAFIL)).toMatchObject({
      pricePence: 2_499,
      packSize: '8 tablets (4 × 2)',
    });

    await steps.approve(session, SILDENAFIL);
    await steps.expectStatus(session, 'dispatch_pending');
    await steps.dispatch(session);
    await steps.scan(session, 'delivered');
    await steps.advance(MONTH);
    await steps.expectStatus(session, 'dispatched');

    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    const intents = [...harness.standIns.stripe.state.paymentIntents.values()].filter(
      (p) => p.customer === detail.stripeCustomerId && p.status === 'succeeded',
    );
    expect(intents.map((p) => p.amount)).toEqual([1_999, 1_999]);
    expect((await steps.view(session)).price).toMatchObject({ monthlyPence: 1_999, totalPence: 3_998 });

    const later = await steps.start(SILDENAFIL, { email: 'later.patient@example.org' });
    await steps.answer(later, SILDENAFIL, ANSWERS[SILDENAFIL]!);
    await steps.submit(later);
    expect((await steps.checkout(later, { kind: 'instalment', months: 2 })).amountPence).toBe(2_499);

    const changes = await harness.db.pool.query(
      `SELECT e.metadata->>'actor' AS actor, a.summary FROM events e JOIN audit_log a ON a.event_id = e.event_id
        WHERE e.event_type = 'ProductTermsChanged'`,
    );
    expect(changes.rows).toEqual([
      { actor: expect.stringMatching(/^staff:/), summary: { reason: 'supplier price rise' } },
    ]);
  });

  it('given a product the admin withdraws, then it takes no new consultation until it is offered again', async () => {
    // The clock moved a month on: a new session for the admin.
    await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');
    const withdrawn = await admin.call('PUT', `/api/reference/uk-products/${SILDENAFIL}`, {
      available: false,
      reason: 'out of supply',
    });
    expect(withdrawn.body.product).toMatchObject({ available: false });
    const start = () =>
      steps.patient.post('/api/consultations', {
        productId: SILDENAFIL,
        patient: patientDetails({ email: 'withdrawn@example.org' }),
        consentToInformGp: true,
      });
    expect(await start()).toMatchObject({ status: 409, body: { code: 'PRODUCT_UNAVAILABLE' } });
    await steps.settle();
    expect((await catalogueEntry(SILDENAFIL)).available).toBe(false);
    await admin.call('PUT', `/api/reference/uk-products/${SILDENAFIL}`, {
      available: true,
      reason: 'back in supply',
    });
    expect((await start()).status).toBe(201);
  });
});
