import { z } from 'zod';
import { STAFF_ROLES } from '../../domain/staff/staffAccount.js';
import { instant, type Wire } from './common.js';

/**
 * The staff API (`/api/auth…`, `/api/admin/staff…`, `/api/staff/directory`): sign-in, sessions and
 * account management. Answers never carry password hashes; a bearer token only in the sign-in
 * answer, a generated password only in the answer to the request that made it.
 */

/** A staff member as the platform names them: never any secret. */
export const staffUser = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(STAFF_ROLES)),
});

/** The signed-in member: with a password someone else set, it must be replaced before anything else. */
export const sessionUser = staffUser.extend({ mustChangePassword: z.boolean() });
export type StaffUser = Wire<typeof sessionUser>;

/** `/api/auth/me`: who is signed in, and the CSRF token a reloaded page needs again. */
export const sessionInfo = z.object({
  user: sessionUser,
  sessionId: z.string(),
  csrfToken: z.string(),
  expiresAt: instant,
  idleExpiresAt: instant,
});
export type SessionInfo = Wire<typeof sessionInfo>;

/** `/api/auth/login`: the session as `me` tells it, with the bearer token (the cookie carries it too). */
export const signedIn = z.object({
  user: sessionUser,
  sessionId: z.string(),
  token: z.string(),
  csrfToken: z.string(),
  expiresAt: instant,
});
export type SignedIn = Wire<typeof signedIn>;

/** A staff account as the admin pages show it. */
export const staffAccount = staffUser.extend({
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: instant,
  updatedAt: instant.nullable(),
});
export type StaffAccount = Wire<typeof staffAccount>;

export const staffList = z.object({ staff: z.array(staffAccount) });
export type StaffList = Wire<typeof staffList>;

/** A new account; `temporaryPassword` only when the platform generated it (shown once). */
export const staffCreated = z.object({
  user: staffUser,
  temporaryPassword: z.string().optional(),
  mustChangePassword: z.literal(true),
});
export type StaffCreated = Wire<typeof staffCreated>;

/** An account after a change (null: it vanished between the change and the read). */
export const staffChanged = z.object({ user: staffAccount.nullable() });
export type StaffChanged = Wire<typeof staffChanged>;

/** After a reset: the temporary password, shown once. */
export const staffPasswordReset = staffChanged.extend({ temporaryPassword: z.string() });
export type StaffPasswordReset = Wire<typeof staffPasswordReset>;

/** A session as an admin sees it: never a token. */
export const staffSessionSummary = z.object({
  id: z.string(),
  createdAt: instant,
  lastSeenAt: instant,
  expiresAt: instant,
  idleExpiresAt: instant,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type StaffSessionSummary = Wire<typeof staffSessionSummary>;

export const staffSessionList = z.object({ sessions: z.array(staffSessionSummary) });
export type StaffSessionList = Wire<typeof staffSessionList>;

/** Names only, no e-mail addresses or roles: for showing who did what. */
export const staffDirectoryEntry = z.object({ id: z.string(), displayName: z.string(), active: z.boolean() });
export type StaffDirectoryEntry = Wire<typeof staffDirectoryEntry>;

export const staffDirectoryList = z.object({ staff: z.array(staffDirectoryEntry) });
export type StaffDirectoryList = Wire<typeof staffDirectoryList>;
