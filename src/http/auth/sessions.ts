import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { type Clock, HOUR, MINUTE } from '../../platform/clock.js';
import type { StaffUser } from './roles.js';
import { toStaffUser } from './staffUsers.js';

export const DEFAULT_SESSION_TTL_MS = 12 * HOUR;

/** last_seen_at is informational: refreshing it at most once a minute spares a write per request. */
const LAST_SEEN_RESOLUTION_MS = MINUTE;

export type NewSession = { token: string; csrfToken: string; expiresAt: Date };

/** A live session as the HTTP edge needs it; the token itself is never kept. */
export type StaffSession = { user: StaffUser; expiresAt: Date; csrfTokenHash: string };

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * The CSRF token is derived from the session token rather than drawn at random, so `/api/auth/me`
 * can hand it back to a reloaded page although only its hash is stored. It reveals nothing about
 * the session token (HMAC is one-way) and dies with the session.
 */
export const csrfTokenFor = (sessionToken: string): string =>
  createHmac('sha256', sessionToken).update('staff-csrf').digest('base64url');

/** Anything else is not one of our tokens: refuse it before it reaches the database. */
const looksLikeToken = (token: string): boolean => /^[A-Za-z0-9_-]{32,128}$/.test(token);

export const createSession = async (
  pool: pg.Pool,
  userId: string,
  clock: Clock,
  ttlMs: number = DEFAULT_SESSION_TTL_MS,
): Promise<NewSession> => {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = csrfTokenFor(token);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await pool.query(
    `INSERT INTO staff_sessions (token_hash, user_id, csrf_token_hash, created_at, expires_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $4)`,
    [sha256(token), userId, sha256(csrfToken), now, expiresAt],
  );
  return { token, csrfToken, expiresAt };
};

/** The session behind a token if it is unexpired, unrevoked and its user is not disabled. */
export const findSession = async (
  pool: pg.Pool,
  token: string,
  clock: Clock,
): Promise<StaffSession | null> => {
  if (!looksLikeToken(token)) return null;
  const now = clock.now();
  const tokenHash = sha256(token);
  const { rows } = await pool.query<{
    id: string;
    email: string;
    display_name: string;
    roles: string[];
    expires_at: Date;
    last_seen_at: Date;
    csrf_token_hash: string;
  }>(
    `SELECT u.id, u.email, u.display_name, u.roles, s.expires_at, s.last_seen_at, s.csrf_token_hash
       FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND NOT u.disabled`,
    [tokenHash, now],
  );
  const row = rows[0];
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() >= LAST_SEEN_RESOLUTION_MS)
    await pool.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, now]);
  return { user: toStaffUser(row), expiresAt: row.expires_at, csrfTokenHash: row.csrf_token_hash };
};

/** For callers outside HTTP (the websocket layer): the staff user a token stands for, or null. */
export const authenticateToken = async (
  pool: pg.Pool,
  token: string,
  clock: Clock,
): Promise<StaffUser | null> => (await findSession(pool, token, clock))?.user ?? null;

export const revokeSession = async (pool: pg.Pool, token: string, clock: Clock): Promise<void> => {
  if (!looksLikeToken(token)) return;
  await pool.query('UPDATE staff_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [
    sha256(token),
    clock.now(),
  ]);
};

/** Compares hashes in constant time: equal-length digests, so timing says nothing about the guess. */
export const csrfTokenMatches = (session: StaffSession, presented: string): boolean => {
  const expected = Buffer.from(session.csrfTokenHash, 'hex');
  const actual = Buffer.from(sha256(presented), 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
};
