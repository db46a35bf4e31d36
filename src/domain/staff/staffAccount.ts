import { type Decider, DomainError } from '../decider.js';

/** Staff roles are explicit: admin manages accounts but does not implicitly hold the others. */
export const STAFF_ROLES = ['ops', 'pharmacist', 'prescriber', 'auditor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles whose holders may read patient data; admin alone is not one of them. */
export const PATIENT_DATA_ROLES = [
  'ops',
  'pharmacist',
  'prescriber',
  'auditor',
] as const satisfies readonly StaffRole[];

export const isStaffRole = (value: string): value is StaffRole =>
  (STAFF_ROLES as readonly string[]).includes(value);

export const staffStream = (staffId: string) => `staff-${staffId}`;

/** Which sessions an event ends: all of the member's, or the ones named. */
export type SessionScope = { all: true; exceptSessionId?: string } | { all: false; sessionIds: string[] };

/**
 * A staff account's life. Passwords are never in an event (they are secrets, kept hashed beside the
 * stream); the events say that a password was set, reset or changed, by whom and when.
 */
export type StaffAccountEvent =
  | {
      type: 'StaffAccountCreated';
      data: {
        staffId: string;
        email: string;
        displayName: string;
        roles: StaffRole[];
        mustChangePassword: boolean;
      };
    }
  | { type: 'StaffRoleGranted'; data: { role: StaffRole; reason: string } }
  | { type: 'StaffRoleRevoked'; data: { role: StaffRole; reason: string } }
  | { type: 'StaffAccountDisabled'; data: { reason: string } }
  | { type: 'StaffAccountEnabled'; data: { reason: string } }
  | { type: 'StaffPasswordReset'; data: { reason: string; mustChangePassword: true } }
  | { type: 'StaffPasswordChanged'; data: Record<string, never> }
  | { type: 'StaffSessionsRevoked'; data: { scope: SessionScope; reason: string } }
  | { type: 'StaffSignedIn'; data: { sessionId: string } };

export type StaffAccountCommand =
  | {
      type: 'CreateStaffAccount';
      staffId: string;
      email: string;
      displayName: string;
      roles: StaffRole[];
      mustChangePassword: boolean;
    }
  | { type: 'SetRoles'; roles: StaffRole[]; reason: string; bySelf: boolean }
  | { type: 'DisableAccount'; reason: string; bySelf: boolean }
  | { type: 'EnableAccount'; reason: string }
  | { type: 'ResetPassword'; reason: string }
  | { type: 'ChangePassword'; keepSessionId: string | null }
  | { type: 'RevokeSessions'; scope: SessionScope; reason: string }
  | { type: 'RecordSignIn'; sessionId: string };

export type StaffAccountState = {
  status: 'none' | 'active' | 'disabled';
  staffId: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
  mustChangePassword: boolean;
};

const initialState = (): StaffAccountState => ({
  status: 'none',
  staffId: '',
  email: '',
  displayName: '',
  roles: [],
  mustChangePassword: false,
});

const evolve = (state: StaffAccountState, event: StaffAccountEvent): StaffAccountState => {
  switch (event.type) {
    case 'StaffAccountCreated':
      return { ...event.data, status: 'active', roles: [...event.data.roles] };
    case 'StaffRoleGranted':
      return { ...state, roles: [...state.roles, event.data.role] };
    case 'StaffRoleRevoked':
      return { ...state, roles: state.roles.filter((role) => role !== event.data.role) };
    case 'StaffAccountDisabled':
      return { ...state, status: 'disabled' };
    case 'StaffAccountEnabled':
      return { ...state, status: 'active' };
    case 'StaffPasswordReset':
      return { ...state, mustChangePassword: true };
    case 'StaffPasswordChanged':
      return { ...state, mustChangePassword: false };
    case 'StaffSessionsRevoked':
    case 'StaffSignedIn':
      return state;
  }
};

const requireAccount = (state: StaffAccountState) => {
  if (state.status === 'none')
    throw new DomainError('not_found', 'STAFF_NOT_FOUND', 'there is no such staff account');
};

const allSessions = (reason: string): StaffAccountEvent => ({
  type: 'StaffSessionsRevoked',
  data: { scope: { all: true }, reason },
});

const decide = (command: StaffAccountCommand, state: StaffAccountState): StaffAccountEvent[] => {
  if (command.type === 'CreateStaffAccount') {
    if (state.status !== 'none')
      throw new DomainError('conflict', 'STAFF_EXISTS', 'this staff account already exists');
    if (command.roles.length === 0)
      throw new DomainError('invalid', 'ROLES_REQUIRED', 'a staff account needs at least one role');
    const { type: _type, ...data } = command;
    return [{ type: 'StaffAccountCreated', data: { ...data, roles: [...new Set(data.roles)] } }];
  }
  requireAccount(state);
  switch (command.type) {
    case 'SetRoles': {
      const wanted = [...new Set(command.roles)];
      if (wanted.length === 0)
        throw new DomainError('invalid', 'ROLES_REQUIRED', 'a staff account needs at least one role');
      // An admin who removes their own admin role could leave nobody able to manage accounts.
      if (command.bySelf && state.roles.includes('admin') && !wanted.includes('admin'))
        throw new DomainError(
          'conflict',
          'OWN_ADMIN_ROLE',
          'an admin cannot take the admin role from themselves',
        );
      return [
        ...wanted
          .filter((role) => !state.roles.includes(role))
          .map(
            (role): StaffAccountEvent => ({
              type: 'StaffRoleGranted',
              data: { role, reason: command.reason },
            }),
          ),
        ...state.roles
          .filter((role) => !wanted.includes(role))
          .map(
            (role): StaffAccountEvent => ({
              type: 'StaffRoleRevoked',
              data: { role, reason: command.reason },
            }),
          ),
      ];
    }
    case 'DisableAccount':
      if (command.bySelf)
        throw new DomainError('conflict', 'OWN_ACCOUNT', 'staff cannot disable their own account');
      if (state.status === 'disabled') return [];
      return [
        { type: 'StaffAccountDisabled', data: { reason: command.reason } },
        allSessions('account disabled'),
      ];
    case 'EnableAccount':
      return state.status === 'active'
        ? []
        : [{ type: 'StaffAccountEnabled', data: { reason: command.reason } }];
    case 'ResetPassword':
      return [
        { type: 'StaffPasswordReset', data: { reason: command.reason, mustChangePassword: true } },
        allSessions('password reset'),
      ];
    case 'ChangePassword':
      if (state.status !== 'active')
        throw new DomainError('forbidden', 'ACCOUNT_DISABLED', 'the account is disabled');
      return [
        { type: 'StaffPasswordChanged', data: {} },
        // Every other session ends: whoever held the old password is signed out too.
        {
          type: 'StaffSessionsRevoked',
          data: {
            scope: command.keepSessionId
              ? { all: true, exceptSessionId: command.keepSessionId }
              : { all: true },
            reason: 'password changed',
          },
        },
      ];
    case 'RevokeSessions':
      return [{ type: 'StaffSessionsRevoked', data: { scope: command.scope, reason: command.reason } }];
    case 'RecordSignIn':
      if (state.status !== 'active')
        throw new DomainError('forbidden', 'ACCOUNT_DISABLED', 'the account is disabled');
      return [{ type: 'StaffSignedIn', data: { sessionId: command.sessionId } }];
  }
};

export const staffAccountDecider: Decider<StaffAccountState, StaffAccountCommand, StaffAccountEvent> = {
  decide,
  evolve,
  initialState,
};
