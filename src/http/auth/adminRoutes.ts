import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import type { StaffAccountCommand } from '../../domain/staff/staffAccount.js';
import {
  enabledAdminsBesides,
  findStaffAccount,
  listStaffUsers,
} from '../../projections/staffDirectoryQueries.js';
import { activeSessions } from '../../stores/staffSessions.js';
import {
  staffChanged,
  staffCreated,
  staffList,
  staffPasswordReset,
  staffSessionList,
} from '../contracts/staff.js';
import { statusOfRefusal } from '../errors.js';
import { emailAddress } from '../validation.js';
import type { AuthRoutesOptions } from './authRoutes.js';
import { generatePassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { issuesOf, problem, problemErrorHandler } from './problem.js';
import { STAFF_ROLES } from './roles.js';
import { StaffUserError } from './staffUsers.js';

const reason = z.string().trim().min(3).max(500);
const newStaffBody = z.object({
  email: emailAddress,
  displayName: z.string().trim().min(1).max(200),
  /** The first password; generated and shown once when left out. Either way it must be changed at first sign-in. */
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024).optional(),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
});
const rolesBody = z.object({ roles: z.array(z.enum(STAFF_ROLES)).min(1), reason });
const reasonBody = z.object({ reason });
const revokeBody = z.object({ sessionId: z.uuid().optional(), reason });
const STAFF_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const parse = <T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined => {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  problem(reply, 400, 'Invalid request body', 'See errors for the fields to correct.', {
    errors: issuesOf(parsed.error.issues),
  });
  return undefined;
};

/**
 * Staff management; admin only. Every change is an event on the member's stream (and so in the
 * audit trail) with the admin as its actor. Responses never include password hashes or tokens; a
 * password the platform generates is shown once, in the answer to the request that made it.
 */
export const adminRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (fastify, options) => {
  fastify.setErrorHandler(problemErrorHandler);
  fastify.setSerializerCompiler(serializerCompiler);
  const { pool, clock, accounts } = options;
  const adminOnly = { preHandler: fastify.requireRoles('admin') };
  const actor = (request: FastifyRequest) => ({
    actor: `staff:${request.staff!.id}`,
    correlationId: request.id,
  });

  /** Nobody may leave the platform without an enabled admin. */
  const wouldRemoveLastAdmin = async (staffId: string) => (await enabledAdminsBesides(pool, staffId)) === 0;

  /** Runs one account command on `:id`, answering 404/409 for the refusals the domain names. */
  const change = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    command: StaffAccountCommand,
  ) => {
    const staffId = request.params.id;
    const account = STAFF_ID.test(staffId) ? await findStaffAccount(pool, staffId) : null;
    if (!account) return problem(reply, 404, 'Not found', 'There is no such staff member.');
    const removesAdmin =
      account.roles.includes('admin') &&
      ((command.type === 'SetRoles' && !command.roles.includes('admin')) ||
        command.type === 'DisableAccount');
    if (removesAdmin && (await wouldRemoveLastAdmin(staffId)))
      return problem(reply, 409, 'Last admin', 'At least one enabled admin must remain.', {
        code: 'LAST_ADMIN',
      });
    try {
      await accounts.execute(staffId, command, actor(request));
    } catch (error) {
      if (error instanceof DomainError) {
        const { status } = statusOfRefusal(error);
        return problem(reply, status, 'Request refused', error.message, { code: error.code });
      }
      throw error;
    }
    request.log.info({ staffId, change: command.type, by: request.staff!.id }, 'staff account changed');
    const updated = await findStaffAccount(pool, staffId);
    return { user: updated && { ...updated, createdAt: updated.createdAt.toISOString() } };
  };

  fastify.get(
    '/api/admin/staff',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Staff accounts with their roles and state',
        response: { 200: staffList },
      },
    },
    async () => ({
      staff: (await listStaffUsers(pool)).map((account) => ({
        ...account,
        createdAt: account.createdAt.toISOString(),
        updatedAt: account.updatedAt?.toISOString() ?? null,
      })),
    }),
  );

  fastify.post(
    '/api/admin/staff',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Create a staff account; its first password must be changed at sign-in',
        response: { 201: staffCreated },
      },
    },
    async (request, reply) => {
      const body = parse(newStaffBody, request.body, reply);
      if (!body) return reply;
      const temporaryPassword = body.password ?? generatePassword();
      try {
        const user = await accounts.create(
          {
            email: body.email,
            displayName: body.displayName,
            roles: body.roles,
            password: temporaryPassword,
            mustChangePassword: true,
          },
          actor(request),
        );
        request.log.info({ staffId: user.id, createdBy: request.staff?.id }, 'staff user created');
        return reply
          .code(201)
          .send({ user, ...(body.password ? {} : { temporaryPassword }), mustChangePassword: true });
      } catch (error) {
        if (error instanceof StaffUserError && error.reason === 'email_taken')
          return problem(reply, 409, 'Email already in use', 'A staff user with this email already exists.');
        throw error;
      }
    },
  );

  fastify.put<{ Params: { id: string } }>(
    '/api/admin/staff/:id/roles',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Set a member’s roles: each role granted or revoked is an event',
        response: { 200: staffChanged },
      },
    },
    async (request, reply) => {
      const body = parse(rolesBody, request.body, reply);
      if (!body) return reply;
      return change(request, reply, {
        type: 'SetRoles',
        roles: body.roles,
        reason: body.reason,
        bySelf: request.params.id === request.staff!.id,
      });
    },
  );

  fastify.post<{ Params: { id: string } }>(
    '/api/admin/staff/:id/disable',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Disable an account: its sessions end at once',
        response: { 200: staffChanged },
      },
    },
    async (request, reply) => {
      const body = parse(reasonBody, request.body, reply);
      if (!body) return reply;
      return change(request, reply, {
        type: 'DisableAccount',
        reason: body.reason,
        bySelf: request.params.id === request.staff!.id,
      });
    },
  );

  fastify.post<{ Params: { id: string } }>(
    '/api/admin/staff/:id/enable',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Enable a disabled account again',
        response: { 200: staffChanged },
      },
    },
    async (request, reply) => {
      const body = parse(reasonBody, request.body, reply);
      if (!body) return reply;
      return change(request, reply, { type: 'EnableAccount', reason: body.reason });
    },
  );

  fastify.post<{ Params: { id: string } }>(
    '/api/admin/staff/:id/password-reset',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary:
          'Reset a password: sessions end; the temporary password (shown once) must be changed at sign-in',
        response: { 200: staffPasswordReset },
      },
    },
    async (request, reply) => {
      const body = parse(reasonBody, request.body, reply);
      if (!body) return reply;
      const staffId = request.params.id;
      if (!STAFF_ID.test(staffId) || !(await findStaffAccount(pool, staffId)))
        return problem(reply, 404, 'Not found', 'There is no such staff member.');
      const temporaryPassword = generatePassword();
      await accounts.setPassword(staffId, temporaryPassword);
      const answer = await change(request, reply, { type: 'ResetPassword', reason: body.reason });
      if (reply.sent) return reply;
      return { ...answer, temporaryPassword };
    },
  );

  fastify.get<{ Params: { id: string } }>(
    '/api/admin/staff/:id/sessions',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'A member’s sessions that still work',
        response: { 200: staffSessionList },
      },
    },
    async (request, reply) => {
      if (!STAFF_ID.test(request.params.id) || !(await findStaffAccount(pool, request.params.id)))
        return problem(reply, 404, 'Not found', 'There is no such staff member.');
      return { sessions: await activeSessions(pool, request.params.id, clock, options.idleTimeoutMs) };
    },
  );

  fastify.post<{ Params: { id: string } }>(
    '/api/admin/staff/:id/sessions/revoke',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'End one of a member’s sessions, or all of them',
        response: { 200: staffChanged },
      },
    },
    async (request, reply) => {
      const body = parse(revokeBody, request.body, reply);
      if (!body) return reply;
      return change(request, reply, {
        type: 'RevokeSessions',
        scope: body.sessionId ? { all: false, sessionIds: [body.sessionId] } : { all: true },
        reason: body.reason,
      });
    },
  );
};
