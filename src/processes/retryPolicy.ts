import { HOUR, MINUTE } from '../platform/clock.js';

/** Waits between attempts at an unavailable vendor: 5 min → 30 min → 2 h, then manual handling. */
export const VENDOR_RETRY_DELAYS_MS = [5 * MINUTE, 30 * MINUTE, 2 * HOUR] as const;

/** When to try again after `attempt` failed, or null once the schedule is spent. */
export const nextVendorAttemptAt = (attempt: number, failedAt: Date): Date | null => {
  const delay = VENDOR_RETRY_DELAYS_MS[attempt - 1];
  return delay === undefined ? null : new Date(failedAt.getTime() + delay);
};

/** Failures of another kind are retried at once this many times before the event is parked. */
export const IMMEDIATE_ATTEMPTS = 3;
export const immediateRetryDelayMs = (attempt: number) => 50 * 4 ** (attempt - 1);
