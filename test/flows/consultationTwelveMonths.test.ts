import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, manualClock } from '../../src/platform/clock.js';
import {
  type ConsultationSteps,
  consultationSteps,
  type PatientSession,
  WEIGHT_LOSS,
} from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

/**
 * A year of treatment in seconds on a manual clock: four 3-month instalment plans of a POM,
 * each month charged and auto-dispatched, each plan renewed by the patient at its end, until the
 * 12-month hard limit requires a fresh consultation.
 */
const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

const MONTH = 31 * DAY;

describe('12-month hard limit reached → Consultation Required', () => {
  it('Instalment renewal: monthly auto-dispatch with no re-review, re-confirmation at each plan end, and after 12 months a fresh consultation', async () => {
    let session: PatientSession = await steps.paidConsultation(WEIGHT_LOSS, {
      kind: 'instalment',
      months: 3,
    });
    const first = session;
    const consultations: string[] = [];
    for (let plan = 1; plan <= 4; plan++) {
      consultations.push(session.id);
      await steps.expectStatus(session, 'in_clinical_review');
      await steps.approve(session, WEIGHT_LOSS);
      await steps.dispatch(session);
      await steps.scan(session, 'delivered');
      for (let month = 2; month <= 3; month++) {
        await steps.advance(MONTH);
        await steps.expectStatus(session, 'dispatched'); // charged and dispatched by the clock
        await steps.scan(session, 'delivered');
      }
      await steps.advance(MONTH);
      if (plan === 4) break;
      await steps.expectStatus(session, 'plan_completed');

      const renewal = await steps.patient.post(
        `/api/consultations/${session.id}/renewal`,
        {},
        session.headers,
      );
      expect(renewal.status, JSON.stringify(renewal.body)).toBe(201);
      session = {
        id: renewal.body.consultationId,
        token: renewal.body.token,
        headers: { 'x-consultation-token': renewal.body.token },
        email: first.email,
      };
      // The patient re-confirms the answers on record and pays the new plan's first month.
      expect((await steps.submit(session)).status).toBe('awaiting_payment');
      const { checkoutSessionId } = await steps.checkout(session, { kind: 'instalment', months: 3 });
      await steps.pay(checkoutSessionId);
    }

    await steps.expectStatus(session, 'consultation_required');
    const last = await steps.view(session);
    expect(last.consultationRequired.reason).toBe('twelve_month_limit');
    expect(last.answers).toEqual({});
    const refused = await steps.patient.post(`/api/consultations/${session.id}/renewal`, {}, session.headers);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'CONSULTATION_REQUIRED', reason: 'twelve_month_limit' },
    });
    expect(steps.mailsTo(first.email).map((m) => m.subject)).toContain('A new consultation is needed');

    // Twelve supplies, twelve charges on one card, identity checked once, and the first approval
    // date carried through every renewal.
    const details = await Promise.all(
      consultations.map(async (id) => (await steps.ops.get(`/api/pharmacy/consultations/${id}`)).body),
    );
    expect(details.map((d) => d.shipments.length)).toEqual([3, 3, 3, 3]);
    expect(details.map((d) => d.charges.length)).toEqual([3, 3, 3, 3]);
    expect(new Set(details.map((d) => d.stripeCustomerId)).size).toBe(1);
    expect(harness.standIns.idu.searches()).toHaveLength(1);
    expect(details.slice(1).map((d) => d.renewalOf)).toEqual(consultations.slice(0, 3));
    const events = await steps.events(session);
    const firstApproval = (await steps.events(first)).find((e) => e.type === 'TreatmentApproved')!.data
      .firstApprovedAt;
    expect(events.find((e) => e.type === 'TreatmentApproved')!.data.firstApprovedAt).toBe(firstApproval);

    // A fresh consultation for the same treatment is open to the patient.
    const fresh = await steps.start(WEIGHT_LOSS, { email: first.email });
    expect(await steps.statusOf(fresh)).toBe('draft');
    expect(await steps.parked()).toEqual([]);
  });
});
