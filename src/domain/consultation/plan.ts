import type { Product } from './catalogue.js';
import { addMonths, isAtOrAfter } from './time.js';

/** A plan covers at most three months; a longer treatment is a chain of renewals. */
export type PlanLength = 1 | 2 | 3;

/**
 * Chosen after the consultation, before checkout. A one-off is one month's supply paid in full;
 * an instalment plan is N monthly supplies, each paid by its own monthly charge.
 */
export type Plan = { kind: 'one_off' } | { kind: 'instalment'; months: PlanLength };

export type PlanPrice = {
  monthlyPence: number;
  /** How many charges the plan takes: one at checkout, then one a month. */
  chargeCount: number;
  firstChargePence: number;
  totalPence: number;
};

/** No renewal once this long has passed since the treatment was first approved. */
export const TREATMENT_LIMIT_MONTHS = 12;

/** How many months (and monthly supplies) a plan covers; a one-off counts as one. */
export const planMonths = (plan: Plan): number => (plan.kind === 'one_off' ? 1 : plan.months);

export const planOffered = (
  product: Pick<Product, 'allowsOneOff' | 'allowsInstalments' | 'planLengthsMonths'>,
  plan: Plan,
): boolean =>
  plan.kind === 'one_off'
    ? product.allowsOneOff
    : product.allowsInstalments && product.planLengthsMonths.includes(plan.months);

export const priceOf = (product: Pick<Product, 'pricePence'>, plan: Plan): PlanPrice => {
  const chargeCount = planMonths(plan);
  return {
    monthlyPence: product.pricePence,
    chargeCount,
    firstChargePence: product.pricePence,
    totalPence: product.pricePence * chargeCount,
  };
};

/** When charges 2..N fall due, a month apart from the plan's start; a one-off has none. */
export const monthlyChargeSchedule = (plan: Plan, startAt: string): string[] =>
  Array.from({ length: planMonths(plan) - 1 }, (_, i) => addMonths(startAt, i + 1));

/**
 * Months of grace after a plan or order ends: the plan's length plus the product's extra months.
 * A one-off counts as no plan length here (the seed: "one-off = 1 month grace"), although its
 * supply lasts a month.
 */
export const graceMonths = (plan: Plan, product: Pick<Product, 'gracePeriodExtraMonths'>): number =>
  (plan.kind === 'one_off' ? 0 : plan.months) + product.gracePeriodExtraMonths;

/** The last moment the patient may reorder on their existing answers (3-month plan → 4 months). */
export const gracePeriodEndsAt = (
  plan: Plan,
  endedAt: string,
  product: Pick<Product, 'gracePeriodExtraMonths'>,
): string => addMonths(endedAt, graceMonths(plan, product));

export const twelveMonthLimitReached = (firstApprovedAt: string, now: string): boolean =>
  isAtOrAfter(now, addMonths(firstApprovedAt, TREATMENT_LIMIT_MONTHS));

/** A renewal overlaps when the plan it follows still has supply running at `now`. */
export const isRenewalOverlap = (activePlanEndsAt: string | null, now: string): boolean =>
  activePlanEndsAt !== null && !isAtOrAfter(now, activePlanEndsAt);
