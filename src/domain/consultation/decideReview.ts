import { DomainError } from '../decider.js';
import type { CommandOf } from './consultationCommands.js';
import type { ClinicianRole, ConsultationEvent, PrescriptionScope } from './consultationEvents.js';
import type { ConsultationState } from './consultationState.js';
import { planOf, productOf, refundRequested, requireStatus } from './guards.js';
import { isRenewalOverlap, monthlyChargeSchedule, type Plan, planMonths } from './plan.js';
import { diffAnswers } from './questionnaire.js';
import { addMonths } from './time.js';

export type ReviewCommand = CommandOf<
  | 'QueueForReview'
  | 'ApproveTreatment'
  | 'RequestMoreInformation'
  | 'RecordPatientReply'
  | 'DenyTreatment'
  | 'RecordPrescriptionCreated'
  | 'RecordPrescriptionSigned'
>;

/** POM cases go to a prescriber, P cases to a pharmacist, and only they may decide them. */
const requireReviewer = (state: ConsultationState, role: ClinicianRole) => {
  if (!state.review)
    throw new DomainError('conflict', 'REVIEW_NOT_QUEUED', 'the case has not entered the review queue');
  if (state.review.queue !== role) {
    throw new DomainError(
      'forbidden',
      'WRONG_REVIEWER',
      `this case must be decided by a ${state.review.queue}`,
      {
        queue: state.review.queue,
        role,
      },
    );
  }
};

const requireUnsigned = (state: ConsultationState) => {
  if (state.prescription?.signedAt) {
    throw new DomainError(
      'conflict',
      'PRESCRIPTION_LOCKED',
      'the prescription is signed in SignatureRx and cannot change',
      {
        prescriptionId: state.prescription.id,
      },
    );
  }
};

/** Phase 7 splits on the order type: 7A one order, 7B one Rx for the whole instalment plan. */
export const prescriptionScope = (plan: Plan): PrescriptionScope =>
  plan.kind === 'one_off'
    ? { phase: '7A', kind: 'single_order' }
    : { phase: '7B', kind: 'full_plan', months: plan.months };

/**
 * The moment supply is authorised (Rx signed, or a P approval): the plan's clock starts and
 * Phase 8's three triggers fire together, so the pharmacy needs no hand-off and the GP letter
 * is under way before anything can be dispatched.
 */
const supplyAuthorised = (
  state: ConsultationState,
  at: string,
  prescriptionId: string | null,
): ConsultationEvent[] => {
  const plan = planOf(state);
  const months = planMonths(plan);
  return [
    {
      type: 'PlanStarted',
      data: {
        startsAt: at,
        endsAt: addMonths(at, months),
        suppliesTotal: months,
        instalmentChargesDueAt: monthlyChargeSchedule(plan, at),
      },
    },
    { type: 'GpLetterRequested', data: { prescriptionId, requestedAt: at } },
    { type: 'PatientNotificationRequested', data: { template: 'treatment_approved', requestedAt: at } },
    {
      type: 'PharmacyQueueEntered',
      data: {
        supplyNumber: 1,
        renewalOverlap: state.flags.renewalOverlap !== null,
        coldChain: productOf(state).coldChain,
        enteredAt: at,
      },
    },
  ];
};

export const decideReview = (command: ReviewCommand, state: ConsultationState): ConsultationEvent[] => {
  switch (command.type) {
    case 'QueueForReview': {
      if (state.review) return [];
      requireStatus(state, ['in_clinical_review'], 'queue the case for review');
      const { now, priorSubmission: prior } = command;
      const queue = productOf(state).kind === 'POM' ? 'prescriber' : 'pharmacist';
      const events: ConsultationEvent[] = [{ type: 'ReviewQueued', data: { queue, queuedAt: now } }];
      // Both flags are shown to the clinician in Phase 6; neither blocks the review.
      if (prior && prior.consultationId !== state.consultationId && state.submitted) {
        events.push({
          type: 'RepeatSubmissionFlagged',
          data: {
            priorConsultationId: prior.consultationId,
            priorSubmittedAt: prior.submittedAt,
            diff: diffAnswers(command.questionnaire, prior.answers, state.submitted.answers),
            flaggedAt: now,
          },
        });
      }
      const renewal = state.renewalOf;
      const active =
        command.activePlan ??
        (renewal && { consultationId: renewal.previousConsultationId, endsAt: renewal.previousPlanEndsAt });
      if (active && isRenewalOverlap(active.endsAt, now)) {
        events.push({
          type: 'RenewalOverlapFlagged',
          data: {
            activeConsultationId: active.consultationId,
            activePlanEndsAt: active.endsAt,
            flaggedAt: now,
          },
        });
      }
      return events;
    }

    case 'ApproveTreatment': {
      requireStatus(state, ['in_clinical_review'], 'approve the treatment');
      requireReviewer(state, command.role);
      const { clinicianId, notes, now } = command;
      const firstApprovedAt = state.firstApprovedAt ?? now;
      if (command.role === 'prescriber') {
        return [
          {
            type: 'TreatmentApproved',
            data: { prescriberId: clinicianId, notes, approvedAt: now, firstApprovedAt },
          },
        ];
      }
      return [
        {
          type: 'PharmacySupplyApproved',
          data: { pharmacistId: clinicianId, notes, approvedAt: now, firstApprovedAt },
        },
        ...supplyAuthorised(state, now, null),
      ];
    }

    case 'RequestMoreInformation':
      requireStatus(state, ['in_clinical_review'], 'ask the patient for more information');
      requireReviewer(state, command.role);
      return [
        {
          type: 'MoreInformationRequested',
          data: { clinicianId: command.clinicianId, question: command.question, requestedAt: command.now },
        },
      ];

    case 'RecordPatientReply':
      requireStatus(state, ['awaiting_response'], 'record a reply');
      return [{ type: 'PatientReplied', data: { message: command.message, repliedAt: command.now } }];

    case 'DenyTreatment':
      requireUnsigned(state);
      requireStatus(state, ['in_clinical_review', 'awaiting_response', 'approved'], 'deny the treatment');
      requireReviewer(state, command.role);
      // The patient hears nothing yet: they are told once Stripe confirms the refund.
      return [
        {
          type: 'TreatmentDenied',
          data: {
            clinicianId: command.clinicianId,
            role: command.role,
            reason: command.reason,
            deniedAt: command.now,
          },
        },
        refundRequested(state, 'clinical_denial', command.now),
      ];

    case 'RecordPrescriptionCreated':
      requireUnsigned(state);
      requireStatus(state, ['approved'], 'create a prescription');
      if (state.prescription?.id === command.prescriptionId) return [];
      if (state.prescription) {
        throw new DomainError(
          'conflict',
          'PRESCRIPTION_ALREADY_CREATED',
          'this consultation already has a prescription',
          {
            prescriptionId: state.prescription.id,
          },
        );
      }
      return [
        {
          type: 'PrescriptionCreated',
          data: {
            prescriptionId: command.prescriptionId,
            scope: prescriptionScope(planOf(state)),
            createdAt: command.now,
          },
        },
      ];

    case 'RecordPrescriptionSigned':
      // SignatureRx may deliver its webhook twice; a second signature for another Rx is refused.
      if (state.prescription?.signedAt && state.prescription.id === command.prescriptionId) return [];
      requireUnsigned(state);
      requireStatus(state, ['approved'], 'record a signature');
      if (state.prescription?.id !== command.prescriptionId) {
        throw new DomainError(
          'not_found',
          'UNKNOWN_PRESCRIPTION',
          'the signed prescription is not the one created for this consultation',
        );
      }
      return [
        {
          type: 'PrescriptionSigned',
          data: {
            prescriptionId: command.prescriptionId,
            webhookEventId: command.webhookEventId,
            signedAt: command.signedAt,
          },
        },
        ...supplyAuthorised(state, command.signedAt, command.prescriptionId),
      ];
  }
};
