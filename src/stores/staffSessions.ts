import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { StaffUser } from '../domain/staff/staffUser.js';
import { type Clock, HOUR, MINUTE } from '../platform/clock.js';
import type { SqlPool, SqlQueryable } from '../platform/sql.js';
import { toStaffUser } from './staffUserRows.js';

/** However active, a session ends this long after sign-in. */
export const DEFAULT_SESSION_TTL_MS = 12 * HOUR;
/** A session nobody has used for this long has ended. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * MINUTE;

/** last_seen_at drives the idle timeout; refreshing it at most once a minute spares a write per request. */
const LAST_SEEN_RESOLUTION_MS = MINUTE;

export type SessionLifetimes = { absoluteTtlMs: number; idleTimeoutMs: number };

export const DEFAULT_LIFETIMES: SessionLifetimes = {
  absoluteTtlMs: DEFAULT_SESSION_TTL_MS,
  idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
};

export type NewSession = { id: string; token: string; csrfToken: string; expiresAt: Date };

/** A live session as the HTTP edge needs it; the token itself is never kept. */
export type StaffSession = {
  id: string;
  user: StaffUser;
  expiresAt: Date;
  /** When it ends if nothing more happens in it. */
  idleExpiresAt: Date;
  csrfTokenHash: string;
  /** Signed in with a password someone else set: only changing it is allowed. */
  mustChangePassword: boolean;
};

/** What an admin (or the member) sees of a session: never a token. */
export type SessionSummary = {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  ip: string | null;
  userAgent: string | null;
};

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
  pool: SqlPool,
  userId: string,
  clock: Clock,
  options: { ttlMs?: number; ip?: string; userAgent?: string } = {},
): Promise<NewSession> => {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = csrfTokenFor(token);
  const id = randomUUID();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (options.ttlMs ?? DEFAULT_SESSION_TTL_MS));
  await pool.query(
    `INSERT INTO staff_sessions (token_hash, id, user_id, csrf_token_hash, created_at, expires_at, last_seen_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8)`,
    [
      sha256(token),
      id,
      userId,
      sha256(csrfToken),
      now,
      expiresAt,
      options.ip ?? null,
      options.userAgent?.slice(0, 300) ?? null,
    ],
  );
  return { id, token, csrfToken, expiresAt };
};

/**
 * The session behind a token if it is unexpired (absolute and idle), unrevoked and its user is not
 * disabled. `touch` counts the request as activity; a websocket's heartbeat re-check does not.
 */
export const findSession = async (
  pool: SqlPool,
  token: string,
  clock: Clock,
  options: { idleTimeoutMs?: number; touch?: boolean } = {},
): Promise<StaffSession | null> => {
  if (!looksLikeToken(token)) return null;
  const idle = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const now = clock.now();
  const tokenHash = sha256(token);
  const { rows } = await pool.query<{
    session_id: string;
    id: string;
    email: string;
    display_name: string;
    roles: string[];
    must_change_password: boolean;
    expires_at: Date;
    last_seen_at: Date;
    csrf_token_hash: string;
  }>(
    `SELECT s.id AS session_id, u.id, u.email, u.display_name, u.roles, u.must_change_password, s.expires_at,
            s.last_seen_at, s.csrf_token_hash
       FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3
        AND NOT u.disabled`,
    [tokenHash, now, new Date(now.getTime() - idle)],
  );
  const row = rows[0];
  if (!row) return null;
  let lastSeen = row.last_seen_at;
  if (options.touch !== false && now.getTime() - lastSeen.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await pool.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, now]);
    lastSeen = now;
  }
  return {
    id: row.session_id,
    user: toStaffUser(row),
    expiresAt: row.expires_at,
    idleExpiresAt: new Date(Math.min(lastSeen.getTime() + idle, row.expires_at.getTime())),
    csrfTokenHash: row.csrf_token_hash,
    mustChangePassword: row.must_change_password,
  };
};

/** For callers outside HTTP (the websocket layer): the staff user a token stands for, or null. */
export const authenticateToken = async (
  pool: SqlPool,
  token: string,
  clock: Clock,
  options: { idleTimeoutMs?: number } = {},
): Promise<StaffUser | null> => {
  const session = await findSession(pool, token, clock, { ...options, touch: false });
  return session && !session.mustChangePassword ? session.user : null;
};

export const revokeSession = async (pool: SqlPool, token: string, clock: Clock): Promise<void> => {
  if (!looksLikeToken(token)) return;
  await pool.query(
    `UPDATE staff_sessions SET revoked_at = $2, revoked_reason = 'signed out'
      WHERE token_hash = $1 AND revoked_at IS NULL`,
    [sha256(token), clock.now()],
  );
};

/** A member's sessions that still work now, newest first. */
export const activeSessions = async (
  pool: SqlPool,
  userId: string,
  clock: Clock,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
): Promise<SessionSummary[]> => {
  const now = clock.now();
  const { rows } = await pool.query<{
    id: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  }>(
    `SELECT id, created_at, last_seen_at, expires_at, ip, user_agent FROM staff_sessions
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3
      ORDER BY created_at DESC`,
    [userId, now, new Date(now.getTime() - idleTimeoutMs)],
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    idleExpiresAt: new Date(
      Math.min(r.last_seen_at.getTime() + idleTimeoutMs, r.expires_at.getTime()),
    ).toISOString(),
    ip: r.ip,
    userAgent: r.user_agent,
  }));
};

/** Compares hashes in constant time: equal-length digests, so timing says nothing about the guess. */
export const csrfTokenMatches = (session: StaffSession, presented: string): boolean => {
  const expected = Buffer.from(session.csrfTokenHash, 'hex');
  const actual = Buffer.from(sha256(presented), 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
};

/** Ends a member's sessions: all of them (but one, when it is the member's own), or the ones named. */
export const revokeStaffSessions = async (
  pool: SqlQueryable,
  staffId: string,
  scope: { all: true; exceptSessionId?: string | null } | { all: false; sessionIds: readonly string[] },
  reason: string,
  at: Date,
): Promise<void> => {
  await pool.query(
    `UPDATE staff_sessions SET revoked_at = $2, revoked_reason = $3
      WHERE user_id = $1 AND revoked_at IS NULL
        AND (CASE WHEN $4::boolean THEN ($5::uuid IS NULL OR id <> $5::uuid) ELSE id = ANY ($6::uuid[]) END)`,
    [
      staffId,
      at,
      reason,
      scope.all,
      scope.all ? (scope.exceptSessionId ?? null) : null,
      scope.all ? [] : scope.sessionIds,
    ],
  );
};
