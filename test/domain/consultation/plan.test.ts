import { describe, expect, it } from 'vitest';
import {
  gracePeriodEndsAt,
  isRenewalOverlap,
  monthlyChargeSchedule,
  planOffered,
  priceOf,
  twelveMonthLimitReached,
} from '../../../src/domain/consultation/plan.js';
import { addMonths } from '../../../src/domain/consultation/time.js';
import { ONE_OFF, periodDelay, THREE_MONTHS, weightLoss } from './fixtures.js';

describe('plan helpers', () => {
  it('prices a one-off as one month paid in full, and an instalment plan as N monthly charges', () => {
    expect(priceOf(weightLoss, ONE_OFF)).toEqual({
      monthlyPence: 19_900,
      chargeCount: 1,
      firstChargePence: 19_900,
      totalPence: 19_900,
    });
    expect(priceOf(weightLoss, THREE_MONTHS)).toEqual({
      monthlyPence: 19_900,
      chargeCount: 3,
      firstChargePence: 19_900,
      totalPence: 59_700,
    });
  });

  it('schedules charges 2..N a month apart, clamping to the end of short months', () => {
    expect(monthlyChargeSchedule(THREE_MONTHS, '2026-01-31T10:00:00.000Z')).toEqual([
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
    ]);
    expect(monthlyChargeSchedule(ONE_OFF, '2026-01-31T10:00:00.000Z')).toEqual([]);
  });

  it('offers only the plans the product allows', () => {
    expect(planOffered(periodDelay, ONE_OFF)).toBe(true);
    expect(planOffered(periodDelay, { kind: 'instalment', months: 1 })).toBe(false);
    expect(planOffered(weightLoss, { kind: 'instalment', months: 2 })).toBe(true);
  });

  it('grace period: 3-month plan = 4 months, one-off = 1 month, configurable per product', () => {
    const ended = '2026-06-03T10:05:00.000Z';
    expect(gracePeriodEndsAt(THREE_MONTHS, ended, weightLoss)).toBe('2026-10-03T10:05:00.000Z');
    expect(gracePeriodEndsAt(ONE_OFF, ended, weightLoss)).toBe('2026-07-03T10:05:00.000Z');
    expect(gracePeriodEndsAt(THREE_MONTHS, ended, { gracePeriodExtraMonths: 2 })).toBe(
      '2026-11-03T10:05:00.000Z',
    );
  });

  it('the 12-month limit is reached on the anniversary of the first approval', () => {
    const first = '2026-03-03T10:05:00.000Z';
    expect(twelveMonthLimitReached(first, '2027-03-03T10:04:59.999Z')).toBe(false);
    expect(twelveMonthLimitReached(first, '2027-03-03T10:05:00.000Z')).toBe(true);
  });

  it('a renewal overlaps while the earlier plan still has time to run', () => {
    const endsAt = '2026-06-03T10:05:00.000Z';
    expect(isRenewalOverlap(endsAt, '2026-05-20T00:00:00.000Z')).toBe(true);
    expect(isRenewalOverlap(endsAt, endsAt)).toBe(false);
    expect(isRenewalOverlap(null, '2026-05-20T00:00:00.000Z')).toBe(false);
  });

  it('adds months across a year end and into a leap February', () => {
    expect(addMonths('2027-11-30T08:00:00.000Z', 3)).toBe('2028-02-29T08:00:00.000Z');
  });
});
