import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { StaffAuthOptions } from './context.js';
import { activeLock } from './lockout.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';
import { issuesOf, problem, problemErrorHandler } from './problem.js';
import { STAFF_ROLES } from './roles.js';
import { createStaffUser, listStaffUsers, StaffUserError } from './staffUsers.js';

const newStaffBody = z.object({
  email: z.email().max(320),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
});

/** Staff management; admin only. Responses never include password hashes or session data. */
export const adminRoutes: FastifyPluginAsync<StaffAuthOptions> = async (fastify, { pool, clock }) => {
  fastify.setErrorHandler(problemErrorHandler);
  const adminOnly = { preHandler: fastify.requireRoles('admin') };

  fastify.get('/api/admin/staff', adminOnly, async () => ({
    staff: (await listStaffUsers(pool)).map((account) => ({
      ...account,
      // A lock that has run out is only cleared at the next sign-in; show it as none.
      lockedUntil: activeLock(account.lockedUntil, clock.now())?.toISOString() ?? null,
      createdAt: account.createdAt.toISOString(),
    })),
  }));

  fastify.post('/api/admin/staff', adminOnly, async (request, reply) => {
    const parsed = newStaffBody.safeParse(request.body);
    if (!parsed.success)
      return problem(reply, 400, 'Invalid staff user', 'See errors for the fields to correct.', {
        errors: issuesOf(parsed.error.issues),
      });
    try {
      const user = await createStaffUser(pool, parsed.data, clock);
      request.log.info({ staffId: user.id, createdBy: request.staff?.id }, 'staff user created');
      return reply.code(201).send({ user });
    } catch (error) {
      if (error instanceof StaffUserError && error.reason === 'email_taken')
        return problem(reply, 409, 'Email already in use', 'A staff user with this email already exists.');
      throw error;
    }
  });
};
