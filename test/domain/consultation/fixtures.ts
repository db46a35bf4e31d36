import { findProduct, type Product } from '../../../src/domain/consultation/catalogue.js';
import {
  type ConsultationCommand,
  consultationDecider,
} from '../../../src/domain/consultation/consultation.js';
import type { ConsultationEvent, RenewalBasis } from '../../../src/domain/consultation/consultationEvents.js';
import { snapshotOf } from '../../../src/domain/consultation/decideIntake.js';
import {
  monthlyChargeSchedule,
  type Plan,
  planMonths,
  priceOf,
} from '../../../src/domain/consultation/plan.js';
import type { Answers, Questionnaire } from '../../../src/domain/consultation/questionnaire.js';
import { addMonths } from '../../../src/domain/consultation/time.js';
import { deciderSpec } from '../../support/deciderSpec.js';

export const spec = deciderSpec(consultationDecider);

const product = (id: string): Product => {
  const found = findProduct(id);
  if (!found) throw new Error(`seed catalogue lacks ${id}`);
  return found;
};

/** POM, cold chain, one-off or 1–3 month plans. */
export const weightLoss = product('trimora-weekly-pen');
/** P medicine: a pharmacist approves, no Rx. */
export const sildenafil = product('vireza-sildenafil-50mg');
/** POM, one-off only. */
export const periodDelay = product('delayra-norethisterone-5mg');

export const ONE_OFF: Plan = { kind: 'one_off' };
export const THREE_MONTHS: Plan = { kind: 'instalment', months: 3 };

export const T = {
  start: '2026-03-02T09:00:00.000Z',
  submitted: '2026-03-02T09:20:00.000Z',
  paid: '2026-03-02T09:25:00.000Z',
  verified: '2026-03-02T09:26:00.000Z',
  approved: '2026-03-03T10:00:00.000Z',
  signed: '2026-03-03T10:05:00.000Z',
  gpLetterSent: '2026-03-03T11:00:00.000Z',
  pmrSynced: '2026-03-03T11:05:00.000Z',
  slipPrinted: '2026-03-03T11:10:00.000Z',
  packed: '2026-03-03T14:00:00.000Z',
  dispatched: '2026-03-03T16:00:00.000Z',
  delivered: '2026-03-04T12:00:00.000Z',
} as const;

export const weightLossAnswers: Answers = {
  dateOfBirth: '1985-04-12',
  sexAtBirth: 'male',
  registeredWithUkGp: true,
  gpPractice: 'Riverside Surgery, 1 Mill Lane, Leeds',
  heightCm: 175,
  weightKg: 105,
  weightRelatedCondition: true,
  conditions: ['none'],
  otherMedicines: 'none',
  answersTruthful: true,
};

export const sildenafilAnswers: Answers = {
  dateOfBirth: '1979-11-30',
  sexAtBirth: 'male',
  registeredWithUkGp: true,
  gpPractice: 'Castle Medical Centre, Bristol',
  advisedAgainstSex: false,
  recentHeartAttackOrStroke: false,
  lowBloodPressure: false,
  interactingMedicines: ['none'],
  conditions: ['none'],
  otherMedicines: 'none',
  answersTruthful: true,
};

/** One AnswersSaved per wizard step, as the patient would have saved them. */
export const savedSteps = (
  questionnaire: Questionnaire,
  answers: Answers,
  savedAt: string,
): ConsultationEvent[] =>
  questionnaire.steps.map((step) => ({
    type: 'AnswersSaved',
    data: {
      stepId: step.id,
      answers: Object.fromEntries(
        step.questions.filter((q) => answers[q.id] !== undefined).map((q) => [q.id, answers[q.id]!]),
      ),
      savedAt,
    },
  }));

export const CONSULTATION_ID = '01JQ0000000000000000000001';

/**
 * The history of one consultation at each point of the happy path, for a product and a plan.
 * Every stage extends the one before, so a spec starts exactly where its rule applies.
 */
export const journey = (
  options: {
    product?: Product;
    plan?: Plan;
    answers?: Answers;
    renewalOf?: RenewalBasis;
    consultationId?: string;
  } = {},
) => {
  const p = options.product ?? weightLoss;
  const plan = options.plan ?? THREE_MONTHS;
  const renewalOf = options.renewalOf ?? null;
  const answers =
    options.answers ?? renewalOf?.answers ?? (p === sildenafil ? sildenafilAnswers : weightLossAnswers);
  const firstApprovedAt = renewalOf?.firstApprovedAt ?? T.approved;
  const price = priceOf(p, plan);
  const pom = p.kind === 'POM';
  const months = planMonths(plan);
  const prescriptionId = 'srx_rx_1001';
  const authorisedAt = pom ? T.signed : T.approved;

  const draft: ConsultationEvent[] = [
    {
      type: 'ConsultationStarted',
      data: {
        consultationId: options.consultationId ?? CONSULTATION_ID,
        patientRef: 'patient-42',
        product: snapshotOf(p),
        renewalOf,
        startedAt: T.start,
      },
    },
    // A renewal starts with the answers on record; the patient only re-confirms them.
    ...(renewalOf ? [] : savedSteps(p.questionnaire, answers, T.start)),
  ];
  const submitted: ConsultationEvent[] = [
    ...draft,
    {
      type: 'QuestionnaireSubmitted',
      data: { answers, questionnaireVersion: p.questionnaire.version, submittedAt: T.submitted },
    },
  ];
  const checkout: ConsultationEvent[] = [
    ...submitted,
    { type: 'PlanChosen', data: { plan, price, chosenAt: T.submitted } },
    {
      type: 'CheckoutStarted',
      data: { checkoutSessionId: 'cs_1', plan, amountPence: price.firstChargePence, startedAt: T.submitted },
    },
  ];
  const paid: ConsultationEvent[] = [
    ...checkout,
    {
      type: 'PaymentCaptured',
      data: {
        checkoutSessionId: 'cs_1',
        paymentIntentId: 'pi_1',
        plan,
        amountPence: price.firstChargePence,
        capturedAt: T.paid,
      },
    },
  ];
  const verified: ConsultationEvent[] = [
    ...paid,
    renewalOf
      ? {
          type: 'IdentityVerified',
          data: { method: 'carried_over', reference: renewalOf.previousConsultationId, verifiedAt: T.paid },
        }
      : {
          type: 'IdentityVerified',
          data: { method: 'electronic', reference: 'lexis-1', verifiedAt: T.verified },
        },
  ];
  const inReview: ConsultationEvent[] = [
    ...verified,
    { type: 'ReviewQueued', data: { queue: pom ? 'prescriber' : 'pharmacist', queuedAt: T.verified } },
  ];
  const triggers: ConsultationEvent[] = [
    {
      type: 'PlanStarted',
      data: {
        startsAt: authorisedAt,
        endsAt: addMonths(authorisedAt, months),
        suppliesTotal: months,
        instalmentChargesDueAt: monthlyChargeSchedule(plan, authorisedAt),
      },
    },
    {
      type: 'GpLetterRequested',
      data: { prescriptionId: pom ? prescriptionId : null, requestedAt: authorisedAt },
    },
    {
      type: 'PatientNotificationRequested',
      data: { template: 'treatment_approved', requestedAt: authorisedAt },
    },
    {
      type: 'PharmacyQueueEntered',
      data: { supplyNumber: 1, renewalOverlap: false, coldChain: p.coldChain, enteredAt: authorisedAt },
    },
  ];
  const approved: ConsultationEvent[] = [
    ...inReview,
    {
      type: 'TreatmentApproved',
      data: { prescriberId: 'dr-patel', notes: 'Suitable', approvedAt: T.approved, firstApprovedAt },
    },
  ];
  const rxCreated: ConsultationEvent[] = [
    ...approved,
    {
      type: 'PrescriptionCreated',
      data: {
        prescriptionId,
        scope:
          plan.kind === 'one_off'
            ? { phase: '7A', kind: 'single_order' }
            : { phase: '7B', kind: 'full_plan', months: plan.months },
        createdAt: T.approved,
      },
    },
  ];
  const prescribed: ConsultationEvent[] = pom
    ? [
        ...rxCreated,
        {
          type: 'PrescriptionSigned',
          data: { prescriptionId, webhookEventId: 'srx_evt_1', signedAt: T.signed },
        },
        ...triggers,
      ]
    : [
        ...inReview,
        {
          type: 'PharmacySupplyApproved',
          data: { pharmacistId: 'ph-jones', notes: 'Suitable', approvedAt: T.approved, firstApprovedAt },
        },
        ...triggers,
      ];
  const dispatchPending: ConsultationEvent[] = [
    ...prescribed,
    { type: 'GpLetterSent', data: { letterId: 'gp-letter-1', sentAt: T.gpLetterSent } },
    { type: 'PmrSynced', data: { pmrPatientId: 'titan-77', method: 'api', syncedAt: T.pmrSynced } },
    { type: 'DispensingSlipPrinted', data: { supplyNumber: 1, slipId: 'slip-1', printedAt: T.slipPrinted } },
  ];
  const packed: ConsultationEvent[] = [
    ...dispatchPending,
    {
      type: 'SupplyPacked',
      data: { supplyNumber: 1, staffId: 'tech-ali', renewalOverlapAcknowledged: false, packedAt: T.packed },
    },
  ];
  const dispatched: ConsultationEvent[] = [
    ...packed,
    {
      type: 'OrderDispatched',
      data: {
        supplyNumber: 1,
        shipmentId: 'rm-ship-1',
        trackingNumber: 'RM123456785GB',
        service: 'Tracked 24',
        coldChain: p.coldChain,
        dispatchedAt: T.dispatched,
      },
    },
  ];
  const delivered: ConsultationEvent[] = [
    ...dispatched,
    {
      type: 'SupplyDelivered',
      data: {
        supplyNumber: 1,
        source: { kind: 'royal_mail', webhookEventId: 'rm-evt-9' },
        deliveredAt: T.delivered,
      },
    },
  ];
  return {
    product: p,
    plan,
    price,
    answers,
    prescriptionId,
    authorisedAt,
    planEndsAt: addMonths(authorisedAt, months),
    firstApprovedAt,
    draft,
    submitted,
    checkout,
    paid,
    verified,
    inReview,
    approved,
    rxCreated,
    prescribed,
    dispatchPending,
    packed,
    dispatched,
    delivered,
  };
};

/**
 * Month `n` of an instalment plan: charged on `at`, then through the pharmacy to the door. Each
 * stage holds only this month's events, to append to a history.
 */
export const month = (n: number, at: string, amountPence = weightLoss.pricePence) => {
  const charged: ConsultationEvent[] = [
    {
      type: 'InstalmentChargeSucceeded',
      data: { chargeNumber: n, paymentIntentId: `pi_${n}`, amountPence, chargedAt: at },
    },
    {
      type: 'PharmacyQueueEntered',
      data: { supplyNumber: n, renewalOverlap: false, coldChain: true, enteredAt: at },
    },
  ];
  const dispatched: ConsultationEvent[] = [
    ...charged,
    { type: 'DispensingSlipPrinted', data: { supplyNumber: n, slipId: `slip-${n}`, printedAt: at } },
    {
      type: 'SupplyPacked',
      data: { supplyNumber: n, staffId: 'tech-ali', renewalOverlapAcknowledged: false, packedAt: at },
    },
    {
      type: 'OrderDispatched',
      data: {
        supplyNumber: n,
        shipmentId: `rm-ship-${n}`,
        trackingNumber: `RM00000000${n}GB`,
        service: 'Tracked 24',
        coldChain: true,
        dispatchedAt: at,
      },
    },
  ];
  const delivered: ConsultationEvent[] = [
    ...dispatched,
    {
      type: 'SupplyDelivered',
      data: {
        supplyNumber: n,
        source: { kind: 'royal_mail', webhookEventId: `rm-evt-${n}` },
        deliveredAt: at,
      },
    },
  ];
  return { charged, dispatched, delivered };
};

/** The state after a history, for the specs that check where a consultation ended up. */
export const stateAfter = (history: readonly ConsultationEvent[]) =>
  history.reduce(consultationDecider.evolve, consultationDecider.initialState());

/** The events a command decides on top of a history, to extend that history with. */
export const decided = (
  history: readonly ConsultationEvent[],
  command: ConsultationCommand,
): ConsultationEvent[] => [...consultationDecider.decide(command, stateAfter(history))];

/** The state once a command's events are applied to a history. */
export const stateAfterDeciding = (history: readonly ConsultationEvent[], command: ConsultationCommand) =>
  stateAfter([...history, ...decided(history, command)]);

/** A history extended by what each command decides in turn: for specs that start further down a path. */
export const extended = (
  history: readonly ConsultationEvent[],
  ...commands: ConsultationCommand[]
): ConsultationEvent[] => {
  const events = [...history];
  for (const command of commands) events.push(...decided(events, command));
  return events;
};
