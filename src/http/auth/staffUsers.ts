import type pg from 'pg';
import { type Clock, systemClock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { LOCKOUT_MS, MAX_FAILED_ATTEMPTS } from './lockout.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { isStaffRole, normaliseEmail, type StaffRole, type StaffUser } from './roles.js';

export type NewStaffUser = {
  email: string;
  password: string;
  displayName: string;
  roles: readonly StaffRole[];
};

/** What an admin sees in the staff list: the user plus account state, still no secrets. */
export type StaffAccount = StaffUser & { disabled: boolean; lockedUntil: Date | null; createdAt: Date };

export type StaffUserErrorReason = 'email_taken' | 'password_too_short' | 'no_roles';

export class StaffUserError extends Error {
  constructor(
    readonly reason: StaffUserErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StaffUserError';
  }
}

type UserRow = {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  disabled: boolean;
  locked_until: Date | null;
  created_at: Date;
};

const USER_COLUMNS = 'id, email, display_name, roles, disabled, locked_until, created_at';

export const toStaffUser = (row: Pick<UserRow, 'id' | 'email' | 'display_name' | 'roles'>): StaffUser => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  roles: row.roles.filter(isStaffRole),
});

const toAccount = (row: UserRow): StaffAccount => ({
  ...toStaffUser(row),
  disabled: row.disabled,
  lockedUntil: row.locked_until,
  createdAt: row.created_at,
});

const UNIQUE_VIOLATION = '23505';

/** Creates a staff user; refuses a taken email, a short password or an empty role list. */
export const createStaffUser = async (
  pool: pg.Pool,
  input: NewStaffUser,
  clock: Clock = systemClock,
): Promise<StaffUser> => {
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new StaffUserError(
      'password_too_short',
      `passwords need at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  if (input.roles.length === 0) throw new StaffUserError('no_roles', 'a staff user needs at least one role');
  const passwordHash = await hashPassword(input.password);
  try {
    const { rows } = await pool.query<UserRow>(
      `INSERT INTO staff_users (id, email, display_name, password_hash, roles, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
      [
        newId(),
        normaliseEmail(input.email),
        input.displayName.trim(),
        passwordHash,
        [...new Set(input.roles)],
        clock.now(),
      ],
    );
    return toStaffUser(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw new StaffUserError('email_taken', 'a staff user with this email already exists');
    throw error;
  }
};

/**
 * Creates the user unless the email exists; an existing account is left exactly as it is, so a
 * restart never resets a password someone has since changed. `created` tells the caller whether to
 * print the password it chose.
 */
export const ensureStaffUser = async (
  pool: pg.Pool,
  input: NewStaffUser,
  clock: Clock = systemClock,
): Promise<{ user: StaffUser; created: boolean }> => {
  const existing = await findStaffUserByEmail(pool, input.email);
  if (existing) return { user: existing, created: false };
  try {
    return { user: await createStaffUser(pool, input, clock), created: true };
  } catch (error) {
    // Another process starting at the same moment won the race: theirs stands.
    const winner = error instanceof StaffUserError && (await findStaffUserByEmail(pool, input.email));
    if (winner) return { user: winner, created: false };
    throw error;
  }
};

export const findStaffUserByEmail = async (pool: pg.Pool, email: string): Promise<StaffUser | null> => {
  const { rows } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM staff_users WHERE email = $1`, [
    normaliseEmail(email),
  ]);
  return rows[0] ? toStaffUser(rows[0]) : null;
};

export const listStaffUsers = async (pool: pg.Pool): Promise<StaffAccount[]> => {
  const { rows } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM staff_users ORDER BY id`);
  return rows.map(toAccount);
};

/** Only sign-in reads the password hash; nothing else selects it. */
export type Credentials = {
  user: StaffUser;
  passwordHash: string;
  disabled: boolean;
  lockedUntil: Date | null;
};

export const findCredentials = async (pool: pg.Pool, email: string): Promise<Credentials | null> => {
  const { rows } = await pool.query<UserRow & { password_hash: string }>(
    `SELECT ${USER_COLUMNS}, password_hash FROM staff_users WHERE email = $1`,
    [normaliseEmail(email)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    user: toStaffUser(row),
    passwordHash: row.password_hash,
    disabled: row.disabled,
    lockedUntil: row.locked_until,
  };
};

/**
 * Counts a failure in one UPDATE (the row lock serialises concurrent guesses, so none slips past the
 * limit); a lock that has run out starts a fresh count. Returns the lock's end when this failure
 * locked the account.
 */
export const recordFailedSignIn = async (pool: pg.Pool, userId: string, now: Date): Promise<Date | null> => {
  const attempts = 'CASE WHEN locked_until <= $2 THEN 1 ELSE failed_attempts + 1 END';
  const { rows } = await pool.query<{ locked_until: Date | null; failed_attempts: number }>(
    `UPDATE staff_users
        SET failed_attempts = ${attempts},
            locked_until = CASE WHEN ${attempts} >= $3 THEN $4
                                WHEN locked_until <= $2 THEN NULL
                                ELSE locked_until END
      WHERE id = $1
      RETURNING failed_attempts, locked_until`,
    [userId, now, MAX_FAILED_ATTEMPTS, new Date(now.getTime() + LOCKOUT_MS)],
  );
  const row = rows[0];
  return row && row.failed_attempts >= MAX_FAILED_ATTEMPTS ? row.locked_until : null;
};

export const recordSuccessfulSignIn = async (pool: pg.Pool, userId: string): Promise<void> => {
  await pool.query(
    'UPDATE staff_users SET failed_attempts = 0, locked_until = NULL WHERE id = $1 AND failed_attempts > 0',
    [userId],
  );
};
