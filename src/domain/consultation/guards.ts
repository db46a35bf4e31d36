import { DomainError } from '../decider.js';
import type {
  ConsultationEvent,
  ConsultationStatus,
  ProductSnapshot,
  RefundReason,
} from './consultationEvents.js';
import type { Charge, ConsultationState } from './consultationState.js';
import type { Plan } from './plan.js';
import { addDays, isAtOrAfter } from './time.js';

export const requireStatus = (
  state: ConsultationState,
  allowed: readonly (ConsultationStatus | 'none')[],
  action: string,
): void => {
  if (!allowed.includes(state.status)) {
    throw new DomainError(
      'conflict',
      'INVALID_STATUS',
      `cannot ${action} while the consultation is ${state.status === 'none' ? 'not started' : state.status}`,
      { status: state.status, allowed },
    );
  }
};

/** Every started consultation has a product; reaching here without one is a wrong stream. */
export const productOf = (state: ConsultationState): ProductSnapshot => {
  if (!state.product)
    throw new DomainError('conflict', 'INVALID_STATUS', 'the consultation has not been started');
  return state.product;
};

export const planOf = (state: ConsultationState): Plan => {
  if (!state.plan)
    throw new DomainError(
      'conflict',
      'PLAN_NOT_CHOSEN',
      'choose a one-off order or an instalment plan first',
    );
  return state.plan;
};

export const periodOf = (state: ConsultationState): NonNullable<ConsultationState['period']> => {
  if (!state.period) throw new DomainError('conflict', 'INVALID_STATUS', 'the plan has not started');
  return state.period;
};

export const elapsed = (since: string | null, days: number, now: string): boolean =>
  since !== null && isAtOrAfter(now, addDays(since, days));

/**
 * The one way money goes back: RefundRequested now (the payments process calls Stripe with the
 * event's id as idempotency key), RefundConfirmed when Stripe's webhook says it happened.
 */
export const refundRequested = (
  state: ConsultationState,
  reason: RefundReason,
  now: string,
  charges: readonly Charge[] = state.charges,
): ConsultationEvent => {
  if (state.refund) {
    throw new DomainError(
      'conflict',
      'REFUND_ALREADY_REQUESTED',
      'a refund has already been requested for this consultation',
    );
  }
  return {
    type: 'RefundRequested',
    data: {
      reason,
      amountPence: charges.reduce((sum, charge) => sum + charge.amountPence, 0),
      paymentIntentIds: charges.map((charge) => charge.paymentIntentId),
      requestedAt: now,
    },
  };
};
