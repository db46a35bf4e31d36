export {
  isStaffRole,
  PATIENT_DATA_ROLES,
  STAFF_ROLES,
  type StaffRole,
} from '../../domain/staff/staffAccount.js';
export { hasAnyRole, normaliseEmail, type StaffUser } from '../../domain/staff/staffUser.js';
