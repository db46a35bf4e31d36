import { describe, expect, it } from 'vitest';
import {
  CONSULTATION_ID,
  journey,
  ONE_OFF,
  periodDelay,
  spec,
  stateAfter,
  stateAfterDeciding,
  T,
  THREE_MONTHS,
  weightLoss,
  weightLossAnswers,
} from './fixtures.js';

const j = journey();
const questionnaire = weightLoss.questionnaire;
const royalMail = { kind: 'royal_mail', webhookEventId: 'rm-evt-10' } as const;

describe('Phase 1–2: consultation entry and the questionnaire', () => {
  it('given nothing, when a patient starts from a product page, then a draft exists with the product frozen in it', () =>
    spec
      .given([])
      .when({
        type: 'StartConsultation',
        consultationId: CONSULTATION_ID,
        patientRef: 'patient-42',
        product: weightLoss,
        renewalOf: null,
        now: T.start,
      })
      .then([j.draft[0]!]));

  it('given a draft, when a step is saved, then the step answers are recorded', () =>
    spec
      .given(j.draft.slice(0, 1))
      .when({
        type: 'SaveAnswers',
        stepId: 'measurements',
        answers: { heightCm: 175, weightKg: 105, weightRelatedCondition: true },
        questionnaire,
        now: T.start,
      })
      .then([
        {
          type: 'AnswersSaved',
          data: {
            stepId: 'measurements',
            answers: { heightCm: 175, weightKg: 105, weightRelatedCondition: true },
            savedAt: T.start,
          },
        },
      ]));

  it('given a draft, when a step is saved with a bad answer, then it is refused with per-question errors', () =>
    spec
      .given(j.draft.slice(0, 1))
      .when({
        type: 'SaveAnswers',
        stepId: 'measurements',
        answers: { heightCm: 20 },
        questionnaire,
        now: T.start,
      })
      .thenThrows('ANSWERS_INVALID'));

  it('given a draft, when answers come against another questionnaire version, then they are refused', () =>
    spec
      .given(j.draft)
      .when({
        type: 'SubmitQuestionnaire',
        questionnaire: { ...questionnaire, version: 'weight-loss-2027.1' },
        now: T.submitted,
      })
      .thenThrows('QUESTIONNAIRE_VERSION_MISMATCH'));

  it('given an incomplete draft, when it is submitted, then it is refused', () =>
    spec
      .given(j.draft.slice(0, 2))
      .when({ type: 'SubmitQuestionnaire', questionnaire, now: T.submitted })
      .thenThrows('ANSWERS_INVALID'));

  it('given a complete draft, when it is submitted and no rule trips, then it moves on to payment', () => {
    spec
      .given(j.draft)
      .when({ type: 'SubmitQuestionnaire', questionnaire, now: T.submitted })
      .then([j.submitted.at(-1)!]);
    expect(stateAfter(j.submitted).status).toBe('awaiting_payment');
  });
});

describe('Phase 3: plan and payment', () => {
  it('given a submitted consultation, when the patient picks a 3-month plan, then the price is three monthly charges', () =>
    spec
      .given(j.submitted)
      .when({ type: 'ChoosePlan', plan: THREE_MONTHS, product: weightLoss, now: T.submitted })
      .then([
        {
          type: 'PlanChosen',
          data: {
            plan: THREE_MONTHS,
            price: { monthlyPence: 19_900, chargeCount: 3, firstChargePence: 19_900, totalPence: 59_700 },
            chosenAt: T.submitted,
          },
        },
      ]));

  it('given a one-off-only product, when an instalment plan is chosen, then it is refused', () => {
    const pd = journey({
      product: periodDelay,
      plan: ONE_OFF,
      answers: {
        dateOfBirth: '1995-07-01',
        sexAtBirth: 'female',
        registeredWithUkGp: true,
        gpPractice: 'Hill Surgery',
        possiblyPregnant: false,
        firstDayOfLastPeriod: '2026-02-20',
        history: ['none'],
        otherMedicines: 'none',
        answersTruthful: true,
      },
    });
    spec
      .given(pd.submitted)
      .when({
        type: 'ChoosePlan',
        plan: { kind: 'instalment', months: 1 },
        product: periodDelay,
        now: T.submitted,
      })
      .thenThrows('PLAN_NOT_OFFERED');
  });

  it('given no plan chosen, when checkout starts, then it is refused', () =>
    spec
      .given(j.submitted)
      .when({ type: 'RecordCheckoutStarted', checkoutSessionId: 'cs_1', now: T.submitted })
      .thenThrows('PLAN_NOT_CHOSEN'));

  it('given an instalment checkout, when Stripe captures the first month, then identity verification is next', () => {
    spec
      .given(j.checkout)
      .when({
        type: 'RecordPaymentCaptured',
        checkoutSessionId: 'cs_1',
        paymentIntentId: 'pi_1',
        amountPence: 19_900,
        now: T.paid,
      })
      .then([j.paid.at(-1)!]);
    expect(stateAfter(j.paid).status).toBe('awaiting_id_verification');
  });

  it('given a captured payment, when the same capture is reported again, then nothing happens', () =>
    spec
      .given(j.paid)
      .when({
        type: 'RecordPaymentCaptured',
        checkoutSessionId: 'cs_1',
        paymentIntentId: 'pi_1',
        amountPence: 19_900,
        now: T.paid,
      })
      .then([]));

  it('given a checkout, when a different amount is captured, then it is refused', () =>
    spec
      .given(j.checkout)
      .when({
        type: 'RecordPaymentCaptured',
        checkoutSessionId: 'cs_1',
        paymentIntentId: 'pi_1',
        amountPence: 100,
        now: T.paid,
      })
      .thenThrows('PAYMENT_AMOUNT_MISMATCH'));
});

describe('Phase 4–6: identity, queue and review', () => {
  it('given a paid consultation, when LexisNexis passes the patient, then the case is ready for clinical review', () => {
    spec
      .given(j.paid)
      .when({ type: 'RecordIdVerification', outcome: 'pass', reference: 'lexis-1', now: T.verified })
      .then([j.verified.at(-1)!]);
    expect(stateAfter(j.verified).status).toBe('in_clinical_review');
  });

  it('given a verified case, when it is queued, then a POM case goes to the prescribers with no flags', () =>
    spec
      .given(j.verified)
      .when({
        type: 'QueueForReview',
        questionnaire,
        priorSubmission: null,
        activePlan: null,
        now: T.verified,
      })
      .then([j.inReview.at(-1)!]));

  it('given a queued case, when it is queued again, then nothing happens', () =>
    spec
      .given(j.inReview)
      .when({
        type: 'QueueForReview',
        questionnaire,
        priorSubmission: null,
        activePlan: null,
        now: T.verified,
      })
      .then([]));

  it('given a case not yet queued, when a prescriber approves, then it is refused', () =>
    spec
      .given(j.verified)
      .when({
        type: 'ApproveTreatment',
        clinicianId: 'dr-patel',
        role: 'prescriber',
        notes: '',
        now: T.approved,
      })
      .thenThrows('REVIEW_NOT_QUEUED'));

  it('given a queued POM case, when the prescriber approves, then the prescription is pending signature', () => {
    spec
      .given(j.inReview)
      .when({
        type: 'ApproveTreatment',
        clinicianId: 'dr-patel',
        role: 'prescriber',
        notes: 'Suitable',
        now: T.approved,
      })
      .then([j.approved.at(-1)!]);
    expect(stateAfter(j.approved).status).toBe('approved');
  });
});

describe('Phase 9–12: PMR, slip, dispatch, delivery', () => {
  it('given a prescribed order, when TitanPMR has the patient, then the order waits for dispatch', () => {
    spec
      .given(j.prescribed)
      .when({ type: 'RecordPmrSynced', pmrPatientId: 'titan-77', method: 'api', now: T.pmrSynced })
      .then([
        { type: 'PmrSynced', data: { pmrPatientId: 'titan-77', method: 'api', syncedAt: T.pmrSynced } },
      ]);
    expect(stateAfter(j.dispatchPending).status).toBe('dispatch_pending');
  });

  it('given an order awaiting dispatch, when no slip was printed, then packing is refused', () =>
    spec
      .given(j.dispatchPending.slice(0, -1))
      .when({
        type: 'PackSupply',
        staffId: 'tech-ali',
        stockOnHand: 5,
        acknowledgeRenewalOverlap: false,
        now: T.packed,
      })
      .thenThrows('SLIP_NOT_PRINTED'));

  it('given an order awaiting dispatch, when the shelf is empty, then dispatch is blocked out of stock', () => {
    spec
      .given(j.dispatchPending)
      .when({
        type: 'PackSupply',
        staffId: 'tech-ali',
        stockOnHand: 0,
        acknowledgeRenewalOverlap: false,
        now: T.packed,
      })
      .then([
        {
          type: 'DispatchBlockedOutOfStock',
          data: { supplyNumber: 1, productId: 'trimora-weekly-pen', stockOnHand: 0, blockedAt: T.packed },
        },
      ]);
    expect(
      stateAfterDeciding(j.dispatchPending, {
        type: 'PackSupply',
        staffId: 'tech-ali',
        stockOnHand: 0,
        acknowledgeRenewalOverlap: false,
        now: T.packed,
      }).status,
    ).toBe('dispatch_pending');
  });

  it('given an order not packed, when a shipment is recorded, then it is refused', () =>
    spec
      .given(j.dispatchPending)
      .when({
        type: 'RecordShipment',
        shipmentId: 'rm-ship-1',
        trackingNumber: 'RM1',
        service: 'Tracked 24',
        now: T.dispatched,
      })
      .thenThrows('NOT_PACKED'));

  it('given a packed order, when Royal Mail creates the shipment, then the order is dispatched cold-chain', () => {
    spec
      .given(j.packed)
      .when({
        type: 'RecordShipment',
        shipmentId: 'rm-ship-1',
        trackingNumber: 'RM123456785GB',
        service: 'Tracked 24',
        now: T.dispatched,
      })
      .then([j.dispatched.at(-1)!]);
    expect(stateAfter(j.dispatched).status).toBe('dispatched');
  });

  it('given a dispatched order, when an older tracking update arrives after a newer one, then it is ignored', () =>
    spec
      .given([
        ...j.dispatched,
        {
          type: 'TrackingUpdated',
          data: {
            supplyNumber: 1,
            status: 'out_for_delivery',
            source: royalMail,
            details: null,
            statusAt: '2026-03-04T08:00:00.000Z',
          },
        },
      ])
      .when({
        type: 'RecordTracking',
        status: 'in_transit',
        source: royalMail,
        details: null,
        statusAt: '2026-03-03T20:00:00.000Z',
      })
      .then([]));

  it('given the webhook is unavailable, when staff enter the delivery by hand, then the order is delivered', () =>
    spec
      .given(j.dispatched)
      .when({
        type: 'RecordTracking',
        status: 'delivered',
        source: { kind: 'manual', staffId: 'ops-kim' },
        details: null,
        statusAt: T.delivered,
      })
      .then([
        {
          type: 'SupplyDelivered',
          data: { supplyNumber: 1, source: { kind: 'manual', staffId: 'ops-kim' }, deliveredAt: T.delivered },
        },
      ]));
});

describe('Phase 13: plan end', () => {
  const oneOff = journey({ plan: ONE_OFF });

  it('given a delivered one-off, when its month has not run out, then the plan-end timer does nothing', () =>
    spec.given(oneOff.delivered).when({ type: 'CompletePlan', now: '2026-03-20T00:00:00.000Z' }).then([]));

  it('given a delivered one-off, when its month runs out, then the plan completes with its grace period', () =>
    spec
      .given(oneOff.delivered)
      .when({ type: 'CompletePlan', now: oneOff.planEndsAt })
      .then([
        {
          type: 'PlanCompleted',
          data: {
            planEndsAt: '2026-04-03T10:05:00.000Z',
            graceEndsAt: '2026-05-03T10:05:00.000Z',
            completedAt: oneOff.planEndsAt,
          },
        },
      ]));

  it('given month 1 of 3 delivered, when the plan-end timer fires, then nothing completes', () =>
    spec.given(j.delivered).when({ type: 'CompletePlan', now: j.planEndsAt }).then([]));

  it('given a completed plan with answers in grace, when the grace timer fires early, then nothing is cleared', () =>
    spec
      .given([
        ...oneOff.delivered,
        {
          type: 'PlanCompleted',
          data: {
            planEndsAt: oneOff.planEndsAt,
            graceEndsAt: '2026-05-03T10:05:00.000Z',
            completedAt: oneOff.planEndsAt,
          },
        },
      ])
      .when({ type: 'ExpireAnswers', now: '2026-05-03T10:04:59.000Z' })
      .then([]));

  it('keeps the submitted answers as the basis of a reorder', () =>
    expect(stateAfter(j.delivered).submitted?.answers).toEqual(weightLossAnswers));
});
