import { DomainError } from '../decider.js';
import type { CommandOf } from './consultationCommands.js';
import type { ConsultationEvent, ConsultationRequiredReason } from './consultationEvents.js';
import type { ConsultationState } from './consultationState.js';
import { periodOf, planOf, productOf, requireStatus } from './guards.js';
import { gracePeriodEndsAt, isRenewalOverlap, twelveMonthLimitReached } from './plan.js';
import { addMonths, isAtOrAfter } from './time.js';

export type PlanCommand = CommandOf<
  | 'RecordInstalmentCharge'
  | 'CancelRemainingInstalments'
  | 'CompletePlan'
  | 'RequestRenewal'
  | 'ExpireAnswers'
>;

/** Past the 12-month limit or the grace period the answers on record are spent. */
const consultationRequired = (reason: ConsultationRequiredReason, now: string): ConsultationEvent[] => [
  { type: 'AnswersCleared', data: { reason, clearedAt: now } },
  { type: 'ConsultationRequired', data: { reason, requiredAt: now } },
];

const graceEndsAt = (state: ConsultationState) =>
  gracePeriodEndsAt(planOf(state), periodOf(state).endsAt, productOf(state));

export const decidePlan = (command: PlanCommand, state: ConsultationState): ConsultationEvent[] => {
  switch (command.type) {
    case 'RecordInstalmentCharge': {
      const plan = planOf(state);
      if (plan.kind !== 'instalment') {
        throw new DomainError('invalid', 'NOT_AN_INSTALMENT_PLAN', 'a one-off order has no monthly charges');
      }
      const { chargeNumber, outcome, now } = command;
      if (outcome.ok && state.charges.some((c) => c.paymentIntentId === outcome.paymentIntentId)) return [];
      const expected = state.charges.length + 1;
      // A failure reported for a charge that has since been paid is history.
      if (chargeNumber < expected) return [];
      if (chargeNumber > expected || chargeNumber > plan.months) {
        throw new DomainError(
          'conflict',
          'CHARGE_OUT_OF_SEQUENCE',
          `the next charge due is number ${expected}`,
          {
            expected,
            chargeNumber,
          },
        );
      }
      // Stripe charges on its own schedule, so a month may be paid while last month's parcel is still
      // travelling; the new month then takes over, and that parcel's late tracking is not recorded here.
      requireStatus(state, ['dispatched', 'delivered', 'instalment_paused'], 'record a monthly charge');
      const paused = state.status === 'instalment_paused';
      if (!outcome.ok) {
        const failed: ConsultationEvent = {
          type: 'InstalmentChargeFailed',
          data: { chargeNumber, failureCode: outcome.failureCode, failedAt: now },
        };
        // Pausing notifies the pharmacy and contacts the patient; a failed retry does not do it again.
        return paused
          ? [failed]
          : [failed, { type: 'InstalmentPaused', data: { chargeNumber, pausedAt: now } }];
      }
      // Paid months go straight to the pharmacy: the prescriber approved the whole plan (7B).
      return [
        {
          type: 'InstalmentChargeSucceeded',
          data: {
            chargeNumber,
            paymentIntentId: outcome.paymentIntentId,
            amountPence: outcome.amountPence,
            chargedAt: now,
          },
        },
        ...(paused ? [{ type: 'InstalmentResumed', data: { chargeNumber, resumedAt: now } } as const] : []),
        {
          type: 'PharmacyQueueEntered',
          data: {
            supplyNumber: chargeNumber,
            renewalOverlap: state.flags.renewalOverlap !== null,
            coldChain: productOf(state).coldChain,
            enteredAt: now,
          },
        },
      ];
    }

    case 'CancelRemainingInstalments': {
      const plan = planOf(state);
      requireStatus(state, ['delivered', 'instalment_paused'], 'cancel the remaining instalments');
      const paid = state.charges.length;
      if (plan.kind !== 'instalment' || paid >= plan.months) {
        throw new DomainError('conflict', 'NOTHING_REMAINING', 'no instalments remain to cancel');
      }
      // The plan now ends when the last paid month runs out; the grace period counts from there.
      return [
        {
          type: 'RemainingInstalmentsCancelled',
          data: {
            fromCharge: paid + 1,
            staffId: command.staffId,
            reason: command.reason,
            planEndsAt: addMonths(periodOf(state).startsAt, paid),
            cancelledAt: command.now,
          },
        },
      ];
    }

    case 'CompletePlan': {
      // Fired by a timer at the plan's end: early, or before the last month arrived, it waits.
      if (state.status !== 'delivered' || !state.period || !state.supply) return [];
      const period = state.period;
      if (state.supply.number < period.suppliesTotal || !isAtOrAfter(command.now, period.endsAt)) return [];
      const completed: ConsultationEvent = {
        type: 'PlanCompleted',
        data: { planEndsAt: period.endsAt, graceEndsAt: graceEndsAt(state), completedAt: command.now },
      };
      const limitReached =
        state.renewalConsultationId === null &&
        state.firstApprovedAt !== null &&
        twelveMonthLimitReached(state.firstApprovedAt, command.now);
      return limitReached
        ? [completed, ...consultationRequired('twelve_month_limit', command.now)]
        : [completed];
    }

    case 'RequestRenewal': {
      if (state.renewalConsultationId === command.renewalConsultationId) return [];
      if (state.renewalConsultationId) {
        throw new DomainError('conflict', 'RENEWAL_ALREADY_REQUESTED', 'this plan has already been renewed', {
          renewalConsultationId: state.renewalConsultationId,
        });
      }
      requireStatus(state, ['dispatched', 'delivered', 'plan_completed'], 'renew or reorder');
      const { now } = command;
      const period = periodOf(state);
      const ended = state.status === 'plan_completed';
      if (twelveMonthLimitReached(state.firstApprovedAt!, now)) {
        if (ended) return consultationRequired('twelve_month_limit', now);
        // Supply still in flight keeps its status; the stream reaches consultation_required at plan end.
        throw new DomainError(
          'conflict',
          'TWELVE_MONTH_LIMIT_REACHED',
          'this treatment was first approved over 12 months ago; a full new consultation is needed',
        );
      }
      if (ended && isAtOrAfter(now, graceEndsAt(state)))
        return consultationRequired('grace_period_expired', now);
      return [
        {
          type: 'RenewalRequested',
          data: {
            renewalConsultationId: command.renewalConsultationId,
            kind: planOf(state).kind === 'one_off' ? 'reorder' : 'new_plan',
            basis: {
              previousConsultationId: state.consultationId!,
              productId: productOf(state).productId,
              firstApprovedAt: state.firstApprovedAt!,
              identityVerifiedAt: state.identityVerifiedAt!,
              answers: state.submitted?.answers ?? {},
              previousPlanEndsAt: period.endsAt,
            },
            overlapsActivePlan: isRenewalOverlap(period.endsAt, now),
            requestedAt: now,
          },
        },
      ];
    }

    case 'ExpireAnswers':
      // Fired by a timer at the end of the grace period; a renewed plan's answers live on elsewhere.
      if (state.status !== 'plan_completed' || state.renewalConsultationId !== null) return [];
      if (!isAtOrAfter(command.now, graceEndsAt(state))) return [];
      return consultationRequired('grace_period_expired', command.now);
  }
};
