import type pg from 'pg';
import type { Clock } from '../../platform/clock.js';
import { activeLock } from './lockout.js';
import { decoyHash, verifyPassword } from './passwords.js';
import type { StaffUser } from './roles.js';
import { createSession, DEFAULT_SESSION_TTL_MS, type NewSession } from './sessions.js';
import { findCredentials, recordFailedSignIn, recordSuccessfulSignIn } from './staffUsers.js';

/** `rejected` never says why (unknown email, wrong password, disabled account): that would help a guesser. */
export type SignInResult =
  | { kind: 'signed_in'; user: StaffUser; session: NewSession }
  | { kind: 'rejected' }
  | { kind: 'locked'; until: Date };

export type SignInOptions = { clock: Clock; sessionTtlMs?: number };

export const signIn = async (
  pool: pg.Pool,
  attempt: { email: string; password: string },
  { clock, sessionTtlMs = DEFAULT_SESSION_TTL_MS }: SignInOptions,
): Promise<SignInResult> => {
  const now = clock.now();
  const credentials = await findCredentials(pool, attempt.email);
  if (!credentials) {
    await verifyPassword(attempt.password, await decoyHash());
    return { kind: 'rejected' };
  }
  // A locked account is refused before the password is checked, so guessing gains nothing meanwhile.
  const lock = activeLock(credentials.lockedUntil, now);
  if (lock) return { kind: 'locked', until: lock };
  if (!(await verifyPassword(attempt.password, credentials.passwordHash))) {
    const lockedUntil = await recordFailedSignIn(pool, credentials.user.id, now);
    return lockedUntil ? { kind: 'locked', until: lockedUntil } : { kind: 'rejected' };
  }
  if (credentials.disabled) return { kind: 'rejected' };
  await recordSuccessfulSignIn(pool, credentials.user.id);
  const session = await createSession(pool, credentials.user.id, clock, sessionTtlMs);
  return { kind: 'signed_in', user: credentials.user, session };
};
