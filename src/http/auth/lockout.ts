import { MINUTE } from '../../platform/clock.js';

/** Consecutive failed sign-ins that lock an account, and for how long. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * MINUTE;

/** The instant a lock ends, or null when the account may try to sign in now. */
export const activeLock = (lockedUntil: Date | null, now: Date): Date | null =>
  lockedUntil && lockedUntil.getTime() > now.getTime() ? lockedUntil : null;
