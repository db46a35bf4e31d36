import { createHash } from 'node:crypto';
import { normaliseEmail } from '../domain/staff/staffUser.js';
import { DAY, MINUTE } from '../platform/clock.js';
import type { SqlPool } from '../platform/sql.js';

/** Failed sign-ins from one place to one address before that pair is locked. */
export const MAX_FAILED_ATTEMPTS = 5;
/** The first lock lasts a minute, each one after it twice as long, up to this. */
export const LOCKOUT_BASE_MS = MINUTE;
export const LOCKOUT_MAX_MS = 15 * MINUTE;

export const lockDurationMs = (level: number): number =>
  Math.min(LOCKOUT_BASE_MS * 2 ** level, LOCKOUT_MAX_MS);

/** The address as the throttle knows it: the same for an account and for an address nobody has. */
export const throttleKey = (email: string): string =>
  createHash('sha256')
    .update(`sign-in:${normaliseEmail(email)}`)
    .digest('hex');

export type Reservation = { judged: true } | { judged: false; until: Date };

/**
 * Reserves the right to judge one password, in one statement: the row lock serialises a burst, so
 * of forty sign-ins arriving together at most MAX_FAILED_ATTEMPTS are judged. A lock that has run
 * out starts a fresh count but keeps its level (the back-off); a quiet day forgets the level.
 */
export const reserveAttempt = async (
  pool: SqlPool,
  key: string,
  source: string,
  now: Date,
): Promise<Reservation> => {
  const { rows } = await pool.query<{ attempts: number; locked_until: Date | null; lock_level: number }>(
    `INSERT INTO sign_in_throttle AS t (email_key, source, attempts, locked_until, lock_level, updated_at)
     VALUES ($1, $2, 1, NULL, 0, $3)
     ON CONFLICT (email_key, source) DO UPDATE SET
       attempts = CASE WHEN t.locked_until > $3 THEN t.attempts
                       WHEN t.locked_until IS NOT NULL THEN 1
                       ELSE t.attempts + 1 END,
       locked_until = CASE WHEN t.locked_until > $3 THEN t.locked_until END,
       lock_level = CASE WHEN t.updated_at < $4 THEN 0 ELSE t.lock_level END,
       updated_at = $3
     RETURNING attempts, locked_until, lock_level`,
    [key, source, now, new Date(now.getTime() - DAY)],
  );
  const row = rows[0]!;
  if (row.locked_until && row.locked_until > now) return { judged: false, until: row.locked_until };
  // Part of a burst past the limit: refused unjudged, told the wait the lock about to fall will set.
  if (row.attempts > MAX_FAILED_ATTEMPTS)
    return { judged: false, until: new Date(now.getTime() + lockDurationMs(row.lock_level)) };
  return { judged: true };
};

/** A judged failure; the one that reaches the limit locks the pair and raises the back-off. */
export const recordFailedAttempt = async (
  pool: SqlPool,
  key: string,
  source: string,
  now: Date,
): Promise<Date | null> => {
  const { rows } = await pool.query<{ locked_until: Date | null }>(
    `UPDATE sign_in_throttle SET
        locked_until = $3::timestamptz + make_interval(secs => LEAST($5 * power(2, lock_level), $6) / 1000.0),
        lock_level = lock_level + 1, updated_at = $3
      WHERE email_key = $1 AND source = $2 AND attempts >= $4 AND (locked_until IS NULL OR locked_until <= $3)
      RETURNING locked_until`,
    [key, source, now, MAX_FAILED_ATTEMPTS, LOCKOUT_BASE_MS, LOCKOUT_MAX_MS],
  );
  return rows[0]?.locked_until ?? null;
};

/** A right password clears the pair's count and its back-off. */
export const recordSuccessfulAttempt = async (pool: SqlPool, key: string, source: string): Promise<void> => {
  await pool.query('DELETE FROM sign_in_throttle WHERE email_key = $1 AND source = $2', [key, source]);
};

/** Rows untouched for a day hold nothing worth keeping (their level is forgotten anyway). */
export const forgetQuietAttempts = async (pool: SqlPool, now: Date): Promise<void> => {
  await pool.query('DELETE FROM sign_in_throttle WHERE updated_at < $1', [new Date(now.getTime() - DAY)]);
};
