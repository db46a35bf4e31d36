export { listStaffUsers, type StaffAccount } from '../../projections/staffDirectoryQueries.js';
export {
  LOCKOUT_BASE_MS,
  LOCKOUT_MAX_MS,
  lockDurationMs,
  MAX_FAILED_ATTEMPTS,
} from '../../stores/loginThrottle.js';
export {
  authenticateToken,
  createSession,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_SESSION_TTL_MS,
  type NewSession,
  revokeSession,
} from '../../stores/staffSessions.js';
export { type CreatedStaffUser, ensureInitialStaff, type InitialStaffOptions } from './bootstrap.js';
export { CSRF_HEADER, SESSION_COOKIE, type StaffAuthOptions } from './context.js';
export { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
export { staffAuthPlugin } from './plugin.js';
export { type Problem, problem } from './problem.js';
export { isStaffRole, PATIENT_DATA_ROLES, STAFF_ROLES, type StaffRole, type StaffUser } from './roles.js';
export { type SignInResult, signIn } from './signIn.js';
export {
  createStaffUser,
  ensureStaffUser,
  type NewStaffUser,
  type StaffAccounts,
  StaffUserError,
  staffAccounts,
} from './staffUsers.js';
