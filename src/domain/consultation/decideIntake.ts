import { DomainError } from '../decider.js';
import type { Product } from './catalogue.js';
import type { CommandOf } from './consultationCommands.js';
import type { ConsultationEvent, ProductSnapshot } from './consultationEvents.js';
import type { ConsultationState } from './consultationState.js';
import { elapsed, productOf, requireStatus } from './guards.js';
import { twelveMonthLimitReached } from './plan.js';
import {
  evaluateAutoDeny,
  type QuestionError,
  type Questionnaire,
  validateAnswers,
  validateStep,
  visibleAnswers,
} from './questionnaire.js';
import { addDays } from './time.js';

/** Abandoned drafts: a reminder after a day, a flag for the team at 7 days, abandonable at 30. */
export const DRAFT_REMINDER_AFTER_DAYS = 1;
export const DRAFT_FLAG_AFTER_DAYS = 7;
export const DRAFT_ABANDONABLE_AFTER_DAYS = 30;

export type IntakeCommand = CommandOf<
  | 'StartConsultation'
  | 'SaveAnswers'
  | 'SendDraftReminder'
  | 'FlagInactiveDraft'
  | 'AbandonDraft'
  | 'SubmitQuestionnaire'
>;

export const snapshotOf = (product: Product): ProductSnapshot => ({
  productId: product.id,
  name: product.name,
  kind: product.kind,
  coldChain: product.coldChain,
  pricePence: product.pricePence,
  planLengthsMonths: product.planLengthsMonths,
  allowsOneOff: product.allowsOneOff,
  allowsInstalments: product.allowsInstalments,
  gracePeriodExtraMonths: product.gracePeriodExtraMonths,
  questionnaireVersion: product.questionnaire.version,
});

/** Answers are judged against the questionnaire the consultation began with, never a newer one. */
const requireQuestionnaire = (state: ConsultationState, questionnaire: Questionnaire) => {
  const expected = productOf(state).questionnaireVersion;
  if (questionnaire.version !== expected) {
    throw new DomainError(
      'conflict',
      'QUESTIONNAIRE_VERSION_MISMATCH',
      `this consultation uses questionnaire ${expected}, not ${questionnaire.version}`,
    );
  }
};

const refuseInvalid = (errors: QuestionError[]) => {
  if (errors.length > 0)
    throw new DomainError('invalid', 'ANSWERS_INVALID', 'some answers need attention', { errors });
};

export const decideIntake = (command: IntakeCommand, state: ConsultationState): ConsultationEvent[] => {
  switch (command.type) {
    case 'StartConsultation': {
      requireStatus(state, ['none'], 'start a consultation');
      const basis = command.renewalOf;
      if (basis && basis.productId !== command.product.id) {
        throw new DomainError(
          'invalid',
          'RENEWAL_PRODUCT_MISMATCH',
          'a renewal continues the same treatment',
        );
      }
      if (basis && twelveMonthLimitReached(basis.firstApprovedAt, command.now)) {
        throw new DomainError(
          'conflict',
          'TWELVE_MONTH_LIMIT_REACHED',
          'this treatment was first approved over 12 months ago; a full new consultation is needed',
        );
      }
      return [
        {
          type: 'ConsultationStarted',
          data: {
            consultationId: command.consultationId,
            patientRef: command.patientRef,
            product: snapshotOf(command.product),
            renewalOf: basis,
            startedAt: command.now,
          },
        },
      ];
    }

    case 'SaveAnswers':
      requireStatus(state, ['draft'], 'save answers');
      requireQuestionnaire(state, command.questionnaire);
      refuseInvalid(validateStep(command.questionnaire, command.stepId, command.answers, state.answers));
      return [
        {
          type: 'AnswersSaved',
          data: { stepId: command.stepId, answers: command.answers, savedAt: command.now },
        },
      ];

    // Reminders and flags come from timers armed on the last save: one that fires after the
    // patient came back, or twice, finds nothing to do.
    case 'SendDraftReminder':
      if (state.status !== 'draft' || state.remindedAt !== null) return [];
      if (!elapsed(state.lastActivityAt, DRAFT_REMINDER_AFTER_DAYS, command.now)) return [];
      return [
        { type: 'DraftReminderSent', data: { inactiveSince: state.lastActivityAt!, sentAt: command.now } },
      ];

    case 'FlagInactiveDraft':
      if (state.status !== 'draft' || state.flags.draftInactiveSince !== null) return [];
      if (!elapsed(state.lastActivityAt, DRAFT_FLAG_AFTER_DAYS, command.now)) return [];
      return [
        {
          type: 'DraftFlaggedInactive',
          data: { inactiveSince: state.lastActivityAt!, flaggedAt: command.now },
        },
      ];

    case 'AbandonDraft':
      requireStatus(state, ['draft'], 'abandon the draft');
      if (!elapsed(state.lastActivityAt, DRAFT_ABANDONABLE_AFTER_DAYS, command.now)) {
        throw new DomainError(
          'conflict',
          'TOO_EARLY',
          'a draft can be abandoned 30 days after the patient last saved it',
          {
            abandonableAt: addDays(state.lastActivityAt!, DRAFT_ABANDONABLE_AFTER_DAYS),
          },
        );
      }
      return [
        {
          type: 'ConsultationAbandoned',
          data: { inactiveSince: state.lastActivityAt!, abandonedAt: command.now },
        },
      ];

    case 'SubmitQuestionnaire': {
      requireStatus(state, ['draft'], 'submit the questionnaire');
      const { questionnaire, now } = command;
      requireQuestionnaire(state, questionnaire);
      refuseInvalid(validateAnswers(questionnaire, state.answers));
      // Answers to questions the patient could not see are dropped, never judged or kept.
      const answers = visibleAnswers(questionnaire, state.answers);
      const verdict = evaluateAutoDeny(questionnaire, answers, now);
      if (verdict.denied) {
        const reasons = questionnaire.autoDenyRules
          .filter((rule) => verdict.ruleIds.includes(rule.id))
          .map((rule) => rule.reasonForClinicalRecord);
        return [
          {
            type: 'ConsultationAutoDenied',
            data: {
              ruleIds: verdict.ruleIds,
              reasonsForClinicalRecord: reasons,
              answers,
              questionnaireVersion: questionnaire.version,
              deniedAt: now,
            },
          },
        ];
      }
      return [
        {
          type: 'QuestionnaireSubmitted',
          data: { answers, questionnaireVersion: questionnaire.version, submittedAt: now },
        },
      ];
    }
  }
};
