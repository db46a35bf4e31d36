import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import {
  forgetQuietAttempts,
  recordFailedAttempt,
  recordSuccessfulAttempt,
  reserveAttempt,
  throttleKey,
} from '../../stores/loginThrottle.js';
import { findCredentials } from '../../stores/staffCredentials.js';
import { createSession, DEFAULT_SESSION_TTL_MS, type NewSession } from '../../stores/staffSessions.js';
import { decoyHash, verifyPassword } from './passwords.js';
import type { StaffUser } from './roles.js';

/**
 * `rejected` never says why (unknown email, wrong password, disabled account) and `locked` comes
 * the same way for an address with no account: either would tell a guesser which addresses exist.
 */
export type SignInResult =
  | { kind: 'signed_in'; user: StaffUser; session: NewSession; mustChangePassword: boolean }
  | { kind: 'rejected' }
  | { kind: 'locked'; until: Date };

export type SignInOptions = {
  clock: Clock;
  sessionTtlMs?: number;
  /** Where the attempt comes from (the client address): failures are counted per address and place. */
  source?: string;
  userAgent?: string;
};

export const signIn = async (
  pool: SqlPool,
  attempt: { email: string; password: string },
  { clock, sessionTtlMs = DEFAULT_SESSION_TTL_MS, source = 'unknown', userAgent }: SignInOptions,
): Promise<SignInResult> => {
  const now = clock.now();
  const key = throttleKey(attempt.email);
  // Reserved before scrypt runs, atomically: a burst cannot have more passwords judged than the limit.
  const reservation = await reserveAttempt(pool, key, source, now);
  if (!reservation.judged) return { kind: 'locked', until: reservation.until };
  if (Math.random() < 0.01) await forgetQuietAttempts(pool, now);

  const credentials = await findCredentials(pool, attempt.email);
  // An unknown address still costs one scrypt, so timing does not tell it from an account.
  const passwordRight = credentials
    ? await verifyPassword(attempt.password, credentials.passwordHash)
    : (await verifyPassword(attempt.password, await decoyHash())) && false;
  if (!credentials || !passwordRight || credentials.disabled) {
    const lockedUntil = await recordFailedAttempt(pool, key, source, now);
    return lockedUntil ? { kind: 'locked', until: lockedUntil } : { kind: 'rejected' };
  }
  await recordSuccessfulAttempt(pool, key, source);
  const session = await createSession(pool, credentials.user.id, clock, {
    ttlMs: sessionTtlMs,
    ip: source,
    userAgent,
  });
  return {
    kind: 'signed_in',
    user: credentials.user,
    session,
    mustChangePassword: credentials.mustChangePassword,
  };
};
