import { expect } from 'vitest';
import type { Answers } from '../../src/domain/consultation/questionnaire.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { sildenafilAnswers, weightLossAnswers } from '../domain/consultation/fixtures.js';
import { apiClient, eventually, type Harness, tinyPng } from './platformHarness.js';

export type Api = ReturnType<typeof apiClient>;

export const WEIGHT_LOSS = 'trimora-weekly-pen'; // POM, cold chain
export const HAIR_LOSS = 'follimax-finasteride-1mg'; // POM
export const SILDENAFIL = 'vireza-sildenafil-50mg'; // P

export const hairLossAnswers: Answers = {
  dateOfBirth: '1988-02-14',
  sexAtBirth: 'male',
  registeredWithUkGp: true,
  gpPractice: 'Park View Surgery, 4 Elm Road, Bath',
  pattern: 'crown',
  conditions: ['none'],
  otherMedicines: 'none',
  answersTruthful: true,
};

export const ANSWERS: Record<string, Answers> = {
  [WEIGHT_LOSS]: weightLossAnswers,
  [SILDENAFIL]: sildenafilAnswers,
  [HAIR_LOSS]: hairLossAnswers,
};

export const patientDetails = (overrides: { lastName?: string; email?: string } = {}) => ({
  firstName: 'Amelia',
  lastName: overrides.lastName ?? 'Hart',
  email: overrides.email ?? `amelia.${Math.random().toString(36).slice(2, 8)}@example.co.uk`,
  address: { line1: '7 Orchard Row', town: 'Bath', postcode: 'BA1 2LX' },
});

export type PatientSession = { id: string; token: string; headers: Record<string, string>; email: string };

/**
 * The consultation flow driven as its people drive it, through the public API: the patient with
 * their consultation key, clinicians and the pharmacy team signed in, vendors through their
 * stand-ins' own controls.
 */
export const consultationSteps = async (harness: Harness, clock?: ManualClock) => {
  const patient = apiClient(harness.url);
  type Role = 'prescriber' | 'pharmacist' | 'ops' | 'auditor';
  const signIn = (api: Api, role: Role) =>
    api.signIn(`${role}@pharmacy.example.org`, harness.passwords[role]!);
  const signedIn = async (role: Role) => {
    const api = apiClient(harness.url);
    await signIn(api, role);
    return api;
  };
  const prescriber = await signedIn('prescriber');
  const pharmacist = await signedIn('pharmacist');
  const ops = await signedIn('ops');
  const { platform } = harness.composition;
  const { stripe, signatureRx, royalMail, mailbox } = harness.standIns;

  const lastPosition = async () =>
    Number(
      (await harness.db.pool.query('SELECT coalesce(max(global_position), 0) AS p FROM events')).rows[0].p,
    );

  /** Runs timers due now and every consumer, webhooks included, until nothing more happens. */
  const settle = async () => {
    for (let round = 0; round < 60; round++) {
      const before = await lastPosition();
      await platform.timers.tick();
      await platform.drain();
      await Promise.all([stripe.webhooksIdle(), signatureRx.webhooksIdle(), royalMail.webhooksIdle()]);
      await platform.drain();
      if ((await lastPosition()) === before) return;
    }
    throw new Error('the platform did not settle');
  };

  /** Moves the shared clock on and lets everything due happen; staff sign in again (sessions last 12 h). */
  const advance = async (ms: number) => {
    if (!clock) throw new Error('this harness has no manual clock');
    clock.advance(ms);
    await Promise.all([
      signIn(prescriber, 'prescriber'),
      signIn(pharmacist, 'pharmacist'),
      signIn(ops, 'ops'),
    ]);
    await settle();
  };

  /**
   * Keys work for 30 days: a patient whose key has run out asks for a new link with their e-mail
   * address, as the page offers, and carries on with the key from that e-mail.
   */
  const renewKey = async (session: PatientSession) => {
    const asked = await patient.post('/api/patient-links', { email: session.email });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const key = await eventually(async () => {
      await settle();
      const mail = mailbox
        .messages()
        .find(
          (m) =>
            m.to.includes(session.email) &&
            m.subject === 'Your link to your consultation' &&
            m.text?.includes(`/consultations/${session.id}#token=`),
        );
      const token =
        mail && new RegExp(`/consultations/${session.id}#token=(\\S+)`).exec(mail.text ?? '')?.[1];
      return token && token !== session.token ? token : undefined;
    }, 'a new consultation link by e-mail');
    session.token = key;
    session.headers['x-consultation-token'] = key;
  };

  /** A patient call with the session's key, renewed once if it has run out. */
  const asPatient = async <T extends { status: number }>(session: PatientSession, call: () => Promise<T>) => {
    const first = await call();
    if (first.status !== 401) return first;
    await renewKey(session);
    return call();
  };

  const view = async (session: PatientSession) => {
    const response = await asPatient(session, () =>
      patient.get(`/api/consultations/${session.id}`, session.headers),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  const statusOf = async (session: PatientSession) => (await view(session)).status as string;

  const expectStatus = async (session: PatientSession, status: string) => {
    await settle();
    expect(await statusOf(session)).toBe(status);
  };

  const start = async (
    productId: string,
    options: { lastName?: string; email?: string } = {},
  ): Promise<PatientSession> => {
    const details = patientDetails(options);
    const response = await patient.post('/api/consultations', {
      productId,
      patient: details,
      consentToInformGp: true,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const { consultationId, token } = response.body;
    return { id: consultationId, token, headers: { 'x-consultation-token': token }, email: details.email };
  };

  /** Saves the answers step by step as the wizard does. */
  const answer = async (session: PatientSession, productId: string, answers: Answers) => {
    const product = (await patient.get(`/api/catalogue/${productId}`)).body;
    for (const step of product.questionnaire.steps as { id: string; questions: { id: string }[] }[]) {
      const stepAnswers = Object.fromEntries(
        step.questions.filter((q) => answers[q.id] !== undefined).map((q) => [q.id, answers[q.id]]),
      );
      const saved = await asPatient(session, () =>
        patient.call(
          'PUT',
          `/api/consultations/${session.id}/answers/${step.id}`,
          { answers: stepAnswers },
          session.headers,
        ),
      );
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }
  };

  const submit = async (session: PatientSession) => {
    const response = await asPatient(session, () =>
      patient.post(`/api/consultations/${session.id}/submit`, {}, session.headers),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  const checkout = async (
    session: PatientSession,
    plan: { kind: 'one_off' } | { kind: 'instalment'; months: 1 | 2 | 3 },
  ) => {
    const response = await asPatient(session, () =>
      patient.post(`/api/consultations/${session.id}/checkout`, { plan }, session.headers),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { checkoutSessionId: string; url: string; amountPence: number };
  };

  const pay = async (checkoutSessionId: string, options: { fail?: boolean } = {}) => {
    await stripe.payCheckoutSession(checkoutSessionId, options);
    await settle();
  };

  /** Start → answers → submit → checkout → paid: where identity verification begins. */
  const paidConsultation = async (
    productId: string,
    plan: { kind: 'one_off' } | { kind: 'instalment'; months: 1 | 2 | 3 },
    options: { lastName?: string; email?: string; answers?: Answers } = {},
  ) => {
    const session = await start(productId, options);
    await answer(session, productId, options.answers ?? ANSWERS[productId] ?? hairLossAnswers);
    expect((await submit(session)).status).toBe('awaiting_payment');
    const { checkoutSessionId } = await checkout(session, plan);
    await pay(checkoutSessionId);
    return session;
  };

  const reviewerFor = (productId: string) => (productId === SILDENAFIL ? pharmacist : prescriber);

  /** The clinician approves; for a POM the prescriber then signs in SignatureRx. */
  const approve = async (session: PatientSession, productId: string) => {
    const reviewer = reviewerFor(productId);
    const response = await reviewer.post(`/api/review/cases/${session.id}/approve`, {
      notes: 'Suitable',
      registrationNumber: '7654321',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    await settle();
    if (productId !== SILDENAFIL) {
      const detail = (await prescriber.get(`/api/review/cases/${session.id}`)).body;
      expect(detail.prescription?.id, JSON.stringify(detail)).toBeTruthy();
      signatureRx.sign(detail.prescription.id);
      await settle();
    }
  };

  /** The team opens the slip's PDF and says it was printed (opening it alone records nothing). */
  const printSlip = async (session: PatientSession) => {
    const slip = await ops.call('GET', `/api/pharmacy/consultations/${session.id}/slip`);
    expect(slip.status, JSON.stringify(slip.body)).toBe(200);
    const printed = await ops.post(`/api/pharmacy/consultations/${session.id}/slip/printed`);
    expect(printed.status, JSON.stringify(printed.body)).toBe(200);
  };

  /** The team prints the slip and packs: Royal Mail is booked by the dispatch process. */
  const dispatch = async (session: PatientSession, options: { acknowledgeRenewalOverlap?: boolean } = {}) => {
    await printSlip(session);
    const packed = await ops.post(`/api/pharmacy/consultations/${session.id}/pack`, options);
    expect(packed.status, JSON.stringify(packed.body)).toBe(200);
    await settle();
  };

  const trackingNumberOf = async (session: PatientSession) => {
    const detail = (await ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    return detail.shipments.at(-1).trackingNumber as string;
  };

  /** Royal Mail scans the parcel, and its push webhook reaches the platform. */
  const scan = async (
    session: PatientSession,
    status: 'in_transit' | 'delivered' | 'delivery_failed' | 'returned',
  ) => {
    royalMail.advance(await trackingNumberOf(session), status, { at: platform.clock.now() });
    await settle();
  };

  const refundsFor = (session: PatientSession) =>
    stripe.listRefunds().filter((r) => r.metadata.consultationId === session.id);

  const mailsTo = (to: string) => mailbox.messages().filter((m) => m.to.includes(to));

  const events = async (session: PatientSession) =>
    (await ops.get(`/api/pharmacy/consultations/${session.id}/events`)).body.events as {
      type: string;
      stream: string;
      data: Record<string, unknown>;
    }[];

  /** Events that kept failing in a process manager: a flow test should leave none. */
  const parked = async () =>
    (await harness.db.pool.query('SELECT subscription_id, event_type, error FROM parked_events')).rows as {
      subscription_id: string;
      event_type: string;
      error: string;
    }[];

  return {
    parked,
    patient,
    prescriber,
    pharmacist,
    ops,
    signedIn,
    settle,
    advance,
    view,
    statusOf,
    expectStatus,
    start,
    answer,
    submit,
    checkout,
    pay,
    paidConsultation,
    approve,
    printSlip,
    dispatch,
    scan,
    trackingNumberOf,
    refundsFor,
    mailsTo,
    renewKey,
    asPatient,
    events,
    eventually,
    tinyPng,
  };
};

export type ConsultationSteps = Awaited<ReturnType<typeof consultationSteps>>;
