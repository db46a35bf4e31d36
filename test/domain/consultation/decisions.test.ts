import { describe, expect, it } from 'vitest';
import type { ConsultationCommand } from '../../../src/domain/consultation/consultation.js';
import type { ConsultationEvent } from '../../../src/domain/consultation/consultationEvents.js';
import type { Plan } from '../../../src/domain/consultation/plan.js';
import { addMonths } from '../../../src/domain/consultation/time.js';
import {
  decided,
  extended,
  journey,
  month,
  ONE_OFF,
  sildenafil,
  spec,
  stateAfter,
  T,
  THREE_MONTHS,
  weightLoss,
  weightLossAnswers,
} from './fixtures.js';

/** One spec per "Key Architecture Decision" of the seed, named after it. */

const j = journey();
const oneOff = journey({ plan: ONE_OFF });
const questionnaire = weightLoss.questionnaire;
const queue = {
  type: 'QueueForReview',
  questionnaire,
  priorSubmission: null,
  activePlan: null,
  now: T.verified,
} as const;
const sign = (prescriptionId = 'srx_rx_1001', webhookEventId = 'srx_evt_1') =>
  ({ type: 'RecordPrescriptionSigned', prescriptionId, webhookEventId, signedAt: T.signed }) as const;
const deny = {
  type: 'DenyTreatment',
  clinicianId: 'dr-patel',
  role: 'prescriber',
  reason: 'Not clinically appropriate',
  now: '2026-03-03T12:00:00.000Z',
} as const;
const charge = (
  chargeNumber: number,
  now: string,
  amountPence = weightLoss.pricePence,
): ConsultationCommand => ({
  type: 'RecordInstalmentCharge',
  chargeNumber,
  outcome: { ok: true, paymentIntentId: `pi_${chargeNumber}`, amountPence },
  now,
});
const renew = (now: string, renewalConsultationId = '01JR0000000000000000000005') =>
  ({ type: 'RequestRenewal', renewalConsultationId, now }) as const;
const types = (events: readonly ConsultationEvent[]) => events.map((e) => e.type);
const refundOf = (events: readonly ConsultationEvent[]) =>
  events.find((e) => e.type === 'RefundRequested')?.data;

/** A 3-month plan with every month delivered and the plan's end reached. */
const due2 = addMonths(T.signed, 1);
const due3 = addMonths(T.signed, 2);
const allDelivered = [...j.delivered, ...month(2, due2).delivered, ...month(3, due3).delivered];
const completed = extended(allDelivered, { type: 'CompletePlan', now: j.planEndsAt });
const oneOffCompleted = extended(oneOff.delivered, { type: 'CompletePlan', now: oneOff.planEndsAt });

describe('Key Architecture Decisions', () => {
  it('Payment model: full payment upfront; rejected at any stage → automatic full refund', () => {
    // Upfront: a one-off is charged in full at checkout, an instalment plan its first month.
    spec
      .given([...oneOff.submitted, oneOff.checkout.at(-2)!])
      .when({ type: 'RecordCheckoutStarted', checkoutSessionId: 'cs_1', now: T.submitted })
      .then([oneOff.checkout.at(-1)!]);
    expect(oneOff.checkout.at(-1)).toMatchObject({ data: { amountPence: 19_900 } });

    // Every rejection refunds all that was captured, with no one deciding to.
    const idUploaded = extended(
      j.paid,
      { type: 'RecordIdVerification', outcome: 'fail', reference: 'lexis-1', now: T.verified },
      {
        type: 'UploadIdDocument',
        document: { key: 'k', contentType: 'image/png', sha256: 's' },
        now: T.verified,
      },
    );
    const idRejected = decided(idUploaded, {
      type: 'RecordManualIdReview',
      reviewerId: 'ops-kim',
      outcome: 'fail',
      reason: 'Mismatch',
      now: T.approved,
    });
    const deniedInReview = decided(j.inReview, deny);
    const deniedAfterApproval = decided(j.rxCreated, deny);
    for (const events of [idRejected, deniedInReview, deniedAfterApproval]) {
      expect(refundOf(events)).toMatchObject({ amountPence: 19_900, paymentIntentIds: ['pi_1'] });
    }
  });

  it('One-off vs Instalment: chosen after the consultation, before checkout; the flow splits at Phase 7 (7A single Rx, 7B one Rx for the whole plan, max 3 months)', () => {
    const choose = (plan: Plan) =>
      ({ type: 'ChoosePlan', plan, product: weightLoss, now: T.submitted }) as const;
    spec.given(j.draft).when(choose(THREE_MONTHS)).thenThrows('INVALID_STATUS');
    spec.given(j.paid).when(choose(ONE_OFF)).thenThrows('INVALID_STATUS');
    spec
      .given(j.submitted)
      .when(choose({ kind: 'instalment', months: 4 } as unknown as Plan))
      .thenThrows('PLAN_NOT_OFFERED');

    const create = {
      type: 'RecordPrescriptionCreated',
      prescriptionId: 'srx_rx_1001',
      now: T.approved,
    } as const;
    spec
      .given(oneOff.approved)
      .when(create)
      .then([oneOff.rxCreated.at(-1)!]);
    expect(oneOff.rxCreated.at(-1)).toMatchObject({ data: { scope: { phase: '7A', kind: 'single_order' } } });
    spec
      .given(j.approved)
      .when(create)
      .then([j.rxCreated.at(-1)!]);
    expect(j.rxCreated.at(-1)).toMatchObject({
      data: { scope: { phase: '7B', kind: 'full_plan', months: 3 } },
    });

    // 7B: one signature starts the whole plan and schedules months 2 and 3; a 4th charge is refused.
    expect(decided(j.rxCreated, sign()).find((e) => e.type === 'PlanStarted')?.data).toEqual({
      startsAt: T.signed,
      endsAt: '2026-06-03T10:05:00.000Z',
      suppliesTotal: 3,
      instalmentChargesDueAt: [due2, due3],
    });
    spec
      .given(allDelivered)
      .when(charge(4, addMonths(T.signed, 3)))
      .thenThrows('CHARGE_OUT_OF_SEQUENCE');
  });

  it('Rx is final: once signed in SignatureRx the prescription is locked, with no void or replacement', () => {
    spec.given(j.prescribed).when(sign('srx_rx_1001', 'srx_evt_2')).then([]);
    spec.given(j.prescribed).when(sign('srx_rx_2002')).thenThrows('PRESCRIPTION_LOCKED');
    spec
      .given(j.prescribed)
      .when({ type: 'RecordPrescriptionCreated', prescriptionId: 'srx_rx_2002', now: T.signed })
      .thenThrows('PRESCRIPTION_LOCKED');
    spec.given(j.prescribed).when(deny).thenThrows('PRESCRIPTION_LOCKED');
    // Until the signature the prescriber can still change their mind.
    expect(types(decided(j.rxCreated, deny))).toEqual(['TreatmentDenied', 'RefundRequested']);
  });

  it('Post-approval triggers: the SignatureRx webhook fires three actions at once (GP letter, patient notification, pharmacy queue); GP notified before dispatch', () => {
    spec.given(j.rxCreated).when(sign()).then(j.prescribed.slice(j.rxCreated.length));
    expect(types(j.prescribed.slice(j.rxCreated.length))).toEqual([
      'PrescriptionSigned',
      'PlanStarted',
      'GpLetterRequested',
      'PatientNotificationRequested',
      'PharmacyQueueEntered',
    ]);
    // The pharmacy has the order with no hand-off...
    expect(stateAfter(j.prescribed).supply).toMatchObject({ number: 1, packed: false });
    // ...but nothing leaves before the GP letter has gone.
    const withoutLetter = j.dispatchPending.filter((e) => e.type !== 'GpLetterSent');
    spec
      .given(withoutLetter)
      .when({
        type: 'PackSupply',
        staffId: 'tech-ali',
        stockOnHand: 9,
        acknowledgeRenewalOverlap: false,
        now: T.packed,
      })
      .thenThrows('GP_NOT_NOTIFIED');
  });

  it('Instalment renewal: the pharmacy auto-dispatches monthly (no prescriber re-review); at plan end the patient re-confirms; after 12 months a fresh consultation', () => {
    const month2 = decided(j.delivered, charge(2, due2));
    expect(types(month2)).toEqual(['InstalmentChargeSucceeded', 'PharmacyQueueEntered']);
    expect(stateAfter([...j.delivered, ...month2])).toMatchObject({
      status: 'dispatch_pending',
      supply: { number: 2 },
    });

    spec
      .given(allDelivered)
      .when({ type: 'CompletePlan', now: j.planEndsAt })
      .then([
        {
          type: 'PlanCompleted',
          data: {
            planEndsAt: j.planEndsAt,
            graceEndsAt: '2026-10-03T10:05:00.000Z',
            completedAt: j.planEndsAt,
          },
        },
      ]);

    const renewedAt = '2026-06-10T09:00:00.000Z';
    const basis = {
      previousConsultationId: '01JQ0000000000000000000001',
      productId: weightLoss.id,
      firstApprovedAt: T.approved,
      identityVerifiedAt: T.verified,
      answers: weightLossAnswers,
      previousPlanEndsAt: j.planEndsAt,
    };
    spec
      .given(completed)
      .when(renew(renewedAt))
      .then([
        {
          type: 'RenewalRequested',
          data: {
            renewalConsultationId: '01JR0000000000000000000005',
            kind: 'new_plan',
            basis,
            overlapsActivePlan: false,
            requestedAt: renewedAt,
          },
        },
      ]);
    // The new plan's consultation opens on the answers to re-confirm, keeping the first approval date.
    const renewal = stateAfter(
      decided([], {
        type: 'StartConsultation',
        consultationId: '01JR0000000000000000000005',
        patientRef: 'patient-42',
        product: weightLoss,
        renewalOf: basis,
        now: renewedAt,
      }),
    );
    expect(renewal).toMatchObject({
      status: 'draft',
      answers: weightLossAnswers,
      firstApprovedAt: T.approved,
    });

    const yearOn = addMonths(T.approved, 12);
    expect(types(decided(completed, renew(yearOn)))).toEqual(['AnswersCleared', 'ConsultationRequired']);
  });

  it('Renewal overlap flag: a renewal while the previous plan is still active is flagged to the prescriber (Phase 6) and the pharmacy team (dispatch)', () => {
    // The earlier plan, month 2 of 3 on its way, is renewed early.
    const midPlan = [...j.delivered, ...month(2, due2).dispatched];
    expect(decided(midPlan, renew('2026-04-20T09:00:00.000Z'))).toMatchObject([
      { type: 'RenewalRequested', data: { overlapsActivePlan: true } },
    ]);

    const renewal = journey({
      consultationId: '01JR0000000000000000000005',
      renewalOf: {
        previousConsultationId: '01JQ0000000000000000000001',
        productId: weightLoss.id,
        firstApprovedAt: '2026-01-05T10:00:00.000Z',
        identityVerifiedAt: '2026-01-04T10:00:00.000Z',
        answers: weightLossAnswers,
        previousPlanEndsAt: '2026-04-05T10:00:00.000Z',
      },
    });
    spec
      .given(renewal.verified)
      .when(queue)
      .then([
        { type: 'ReviewQueued', data: { queue: 'prescriber', queuedAt: T.verified } },
        {
          type: 'RenewalOverlapFlagged',
          data: {
            activeConsultationId: '01JQ0000000000000000000001',
            activePlanEndsAt: '2026-04-05T10:00:00.000Z',
            flaggedAt: T.verified,
          },
        },
      ]);

    const readyToPack = extended(
      renewal.verified,
      queue,
      {
        type: 'ApproveTreatment',
        clinicianId: 'dr-patel',
        role: 'prescriber',
        notes: 'Overlap intended',
        now: T.approved,
      },
      { type: 'RecordPrescriptionCreated', prescriptionId: 'srx_rx_3003', now: T.approved },
      sign('srx_rx_3003'),
      { type: 'RecordGpLetterSent', letterId: 'gp-2', now: T.gpLetterSent },
      { type: 'RecordPmrSynced', pmrPatientId: 'titan-77', method: 'api', now: T.pmrSynced },
      { type: 'RecordSlipPrinted', slipId: 'slip-9', now: T.slipPrinted },
    );
    expect(readyToPack.find((e) => e.type === 'PharmacyQueueEntered')).toMatchObject({
      data: { renewalOverlap: true },
    });
    const pack = (acknowledgeRenewalOverlap: boolean) =>
      ({
        type: 'PackSupply',
        staffId: 'tech-ali',
        stockOnHand: 9,
        acknowledgeRenewalOverlap,
        now: T.packed,
      }) as const;
    spec.given(readyToPack).when(pack(false)).thenThrows('RENEWAL_OVERLAP_NOT_ACKNOWLEDGED');
    spec
      .given(readyToPack)
      .when(pack(true))
      .then([
        {
          type: 'SupplyPacked',
          data: {
            supplyNumber: 1,
            staffId: 'tech-ali',
            renewalOverlapAcknowledged: true,
            packedAt: T.packed,
          },
        },
      ]);
  });

  it('Answer expiry (grace period): plan duration + 1 month to reorder (3-month plan = 4 months, one-off = 1 month), then answers are cleared and a fresh consultation is required', () => {
    const graceEnd3 = addMonths(j.planEndsAt, 4);
    expect(graceEnd3).toBe('2026-10-03T10:05:00.000Z');
    expect(types(decided(completed, renew('2026-10-03T10:04:59.000Z')))).toEqual(['RenewalRequested']);
    spec
      .given(completed)
      .when(renew(graceEnd3))
      .then([
        { type: 'AnswersCleared', data: { reason: 'grace_period_expired', clearedAt: graceEnd3 } },
        { type: 'ConsultationRequired', data: { reason: 'grace_period_expired', requiredAt: graceEnd3 } },
      ]);

    const graceEndOneOff = addMonths(oneOff.planEndsAt, 1);
    expect(decided(oneOffCompleted, renew('2026-05-03T10:04:00.000Z'))).toMatchObject([
      { type: 'RenewalRequested', data: { kind: 'reorder' } },
    ]);
    expect(types(decided(oneOffCompleted, renew(graceEndOneOff)))).toEqual([
      'AnswersCleared',
      'ConsultationRequired',
    ]);

    // With no renewal asked for, the timer at the end of grace clears the answers on its own.
    const expired = extended(oneOffCompleted, { type: 'ExpireAnswers', now: graceEndOneOff });
    expect(stateAfter(expired)).toMatchObject({
      status: 'consultation_required',
      answers: {},
      submitted: null,
    });
  });

  it('POM vs P: POM requires a prescriber and a SignatureRx Rx; P requires a pharmacist approval (logged, no Rx); both support instalments', () => {
    const p = journey({ product: sildenafil, plan: THREE_MONTHS });
    spec
      .given(p.verified)
      .when({ ...queue, questionnaire: sildenafil.questionnaire })
      .then([{ type: 'ReviewQueued', data: { queue: 'pharmacist', queuedAt: T.verified } }]);
    spec
      .given(j.inReview)
      .when({
        type: 'ApproveTreatment',
        clinicianId: 'ph-jones',
        role: 'pharmacist',
        notes: '',
        now: T.approved,
      })
      .thenThrows('WRONG_REVIEWER');

    // POM: approval waits for the signed Rx.
    expect(stateAfter(j.approved).status).toBe('approved');
    // P: the pharmacist's approval is the authorisation; the triggers fire straight away.
    spec
      .given(p.inReview)
      .when({
        type: 'ApproveTreatment',
        clinicianId: 'ph-jones',
        role: 'pharmacist',
        notes: 'Suitable',
        now: T.approved,
      })
      .then(p.prescribed.slice(p.inReview.length));
    expect(types(p.prescribed.slice(p.inReview.length))).not.toContain('PrescriptionCreated');
    expect(stateAfter(p.prescribed)).toMatchObject({ status: 'prescribed', prescription: null });
    spec
      .given(p.prescribed)
      .when({ type: 'RecordPrescriptionCreated', prescriptionId: 'srx_rx_9', now: T.approved })
      .thenThrows('INVALID_STATUS');

    // Both run instalments the same way.
    expect(types(decided(p.delivered, charge(2, addMonths(T.approved, 1), sildenafil.pricePence)))).toEqual([
      'InstalmentChargeSucceeded',
      'PharmacyQueueEntered',
    ]);
  });
});
