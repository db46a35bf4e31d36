import { createHash } from 'node:crypto';
import { createCommandHandler } from '../../commands/commandHandler.js';
import { DomainError } from '../../domain/decider.js';
import {
  type StaffAccountCommand,
  type StaffAccountEvent,
  type StaffAccountState,
  staffAccountDecider,
  staffStream,
} from '../../domain/staff/staffAccount.js';
import { isWrongExpectedRevision } from '../../eventstore/errors.js';
import type { EventStore } from '../../eventstore/types.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import { deterministicId, newId, newUuid } from '../../platform/ids.js';
import type { SqlPool } from '../../platform/sql.js';
import { writeStaffRow } from '../../projections/staffDirectory.js';
import { findStaffUserByEmail } from '../../projections/staffDirectoryQueries.js';
import { savePasswordHash } from '../../stores/staffCredentials.js';
import { revokeStaffSessions } from '../../stores/staffSessions.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { normaliseEmail, type StaffRole, type StaffUser } from './roles.js';

export type NewStaffUser = {
  email: string;
  password: string;
  displayName: string;
  roles: readonly StaffRole[];
};

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

/** Who is acting: an admin (`staff:<id>`), the member themselves, or the platform at start. */
export type StaffActor = { actor: string; correlationId?: string };

/** The directory's tables on `pool`; the members' events in `store`, whichever adapter the platform runs on. */
export type StaffAccountsDeps = { pool: SqlPool; store: EventStore; clock?: Clock };

/** One address, one account: the address is claimed in a stream of its own before the account exists. */
const emailClaimStream = (email: string) =>
  `staffemail-${createHash('sha256').update(normaliseEmail(email)).digest('hex').slice(0, 40)}`;

/**
 * The staff account service. Every change is a command on the member's `staff-<id>` stream (so it
 * reaches the audit trail), after which the directory row and the sessions it ends are brought up to
 * date at once; the staff-directory projection does the same when it catches up or rebuilds.
 */
export const staffAccounts = (deps: StaffAccountsDeps) => {
  const { pool, store } = deps;
  const clock = deps.clock ?? systemClock;
  const handle = createCommandHandler(store, staffAccountDecider, { clock });

  /** Sessions an event ends, ended in the table that authenticates requests. */
  const applySessionEffects = async (staffId: string, events: readonly { type: string; data: unknown }[]) => {
    for (const event of events as StaffAccountEvent[]) {
      if (event.type !== 'StaffSessionsRevoked') continue;
      const { scope, reason } = event.data;
      await revokeStaffSessions(pool, staffId, scope, reason, clock.now());
    }
  };

  const execute = async (staffId: string, command: StaffAccountCommand, meta: StaffActor) => {
    const result = await handle({
      commandId: newUuid(),
      streamName: staffStream(staffId),
      command,
      actor: meta.actor,
      correlationId: meta.correlationId ?? `staff-${staffId}`,
    });
    if (result.events.length > 0) {
      await writeStaffRow(pool, await store.readStream(staffStream(staffId)));
      await applySessionEffects(staffId, result.events);
    }
    return result.state as StaffAccountState;
  };

  const setPassword = async (staffId: string, password: string) => {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new StaffUserError(
        'password_too_short',
        `passwords need at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    await savePasswordHash(pool, staffId, await hashPassword(password), clock.now());
  };

  const claimEmail = async (email: string, staffId: string, meta: StaffActor): Promise<boolean> => {
    try {
      await store.appendToStream(
        emailClaimStream(email),
        [
          {
            id: deterministicId('staff-email', normaliseEmail(email), staffId),
            type: 'StaffEmailClaimed',
            data: { staffId },
            metadata: {
              correlationId: `staff-${staffId}`,
              causationId: null,
              actor: meta.actor,
              occurredAt: clock.now().toISOString(),
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      return true;
    } catch (error) {
      if (isWrongExpectedRevision(error)) return false;
      throw error;
    }
  };

  return {
    execute,
    setPassword,

    /** Creates an account with a first password; `mustChangePassword` when someone else chose it. */
    async create(
      input: NewStaffUser & { mustChangePassword: boolean },
      meta: StaffActor,
    ): Promise<StaffUser> {
      if (input.password.length < MIN_PASSWORD_LENGTH)
        throw new StaffUserError(
          'password_too_short',
          `passwords need at least ${MIN_PASSWORD_LENGTH} characters`,
        );
      if (input.roles.length === 0)
        throw new StaffUserError('no_roles', 'a staff user needs at least one role');
      const staffId = newId();
      const email = normaliseEmail(input.email);
      if (!(await claimEmail(email, staffId, meta)))
        throw new StaffUserError('email_taken', 'a staff user with this email already exists');
      // The hash is in place before the account exists, so there is never an account without one.
      await setPassword(staffId, input.password);
      const state = await execute(
        staffId,
        {
          type: 'CreateStaffAccount',
          staffId,
          email,
          displayName: input.displayName.trim(),
          roles: [...new Set(input.roles)],
          mustChangePassword: input.mustChangePassword,
        },
        meta,
      );
      return { id: staffId, email: state.email, displayName: state.displayName, roles: state.roles };
    },
  };
};

export type StaffAccounts = ReturnType<typeof staffAccounts>;

/** Creates a staff user (no forced change: for the platform's own start and for tests). */
export const createStaffUser = async (deps: StaffAccountsDeps, input: NewStaffUser): Promise<StaffUser> =>
  staffAccounts(deps).create({ ...input, mustChangePassword: false }, { actor: 'system:bootstrap' });

/**
 * Creates the user unless the email exists; an existing account is left exactly as it is, so a
 * restart never resets a password someone has since changed. `created` tells the caller whether to
 * print the password it chose.
 */
export const ensureStaffUser = async (
  deps: StaffAccountsDeps,
  input: NewStaffUser,
): Promise<{ user: StaffUser; created: boolean }> => {
  const { pool } = deps;
  const existing = await findStaffUserByEmail(pool, input.email);
  if (existing) return { user: existing, created: false };
  try {
    return { user: await createStaffUser(deps, input), created: true };
  } catch (error) {
    // Another process starting at the same moment won the race: theirs stands.
    if (error instanceof StaffUserError && error.reason === 'email_taken') {
      for (let wait = 0; wait < 50; wait++) {
        const winner = await findStaffUserByEmail(pool, input.email);
        if (winner) return { user: winner, created: false };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    throw error;
  }
};

/** The admin's refusal of an account change, as the HTTP edge reports it. */
export const isStaffDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
