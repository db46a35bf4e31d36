import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/platform/clock.js';
import {
  type ConsultationSteps,
  consultationSteps,
  HAIR_LOSS,
  hairLossAnswers,
  type PatientSession,
  patientDetails,
} from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

const textsTo = (phone: string) =>
  harness.standIns.twilio.messages().filter((m) => m.direction === 'outbound-api' && m.to === phone);

const startWith = async (notifications: unknown) => {
  const details = patientDetails();
  const response = await steps.patient.post('/api/consultations', {
    productId: HAIR_LOSS,
    patient: details,
    consentToInformGp: true,
    ...(notifications !== undefined ? { notifications } : {}),
  });
  return { response, email: details.email };
};

describe('order updates by text for a UK patient who asked for them', () => {
  it('texts the dispatch (with its tracking number) and the delivery once each', async () => {
    const phone = '+447700900123';
    const { response, email } = await startWith({ sms: '07700 900123' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const session: PatientSession = {
      id: response.body.consultationId,
      token: response.body.token,
      headers: { 'x-consultation-token': response.body.token },
      email,
    };
    const account = await harness.composition.platform.store.readStream(`consultationaccount-${session.id}`);
    expect(account.map((e) => ({ type: e.type, data: e.data }))).toContainEqual({
      type: 'SmsUpdatesChosen',
      data: { phone },
    });

    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    await steps.submit(session);
    const { checkoutSessionId } = await steps.checkout(session, { kind: 'one_off' });
    await steps.pay(checkoutSessionId);
    await steps.expectStatus(session, 'in_clinical_review');
    await steps.approve(session, HAIR_LOSS);
    await steps.dispatch(session);
    await steps.expectStatus(session, 'dispatched');
    const trackingNumber = (
      await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)
    ).body.shipments.at(-1).trackingNumber;
    expect(textsTo(phone).map((m) => m.body)).toEqual([expect.stringContaining(trackingNumber)]);

    await steps.scan(session, 'delivered');
    await steps.expectStatus(session, 'delivered');
    const bodies = textsTo(phone).map((m) => m.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatch(/delivered/);
    // Nothing about the treatment or the patient in a text.
    for (const body of bodies) expect(body).not.toMatch(/Amelia|Hart|finasteride|hair/i);
  });

  it('refuses a UK landline or a malformed number for texts, saying why', async () => {
    for (const bad of ['0113 496 0123', '07700 90012', 'text me']) {
      const { response } = await startWith({ sms: bad });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(response.body.errors)).toMatch(/mobile|digits|number/);
    }
  });

  it('texts nothing to a patient who did not ask', async () => {
    const { response } = await startWith(undefined);
    expect(response.status).toBe(201);
    const account = await harness.composition.platform.store.readStream(
      `consultationaccount-${response.body.consultationId}`,
    );
    expect(account.map((e) => e.type)).not.toContain('SmsUpdatesChosen');
  });
});
