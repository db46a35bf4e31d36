import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INTAKE_KEY_NAME, IntakeKeyError, type IntakeKeys } from '../../commands/intakeKeys.js';
import { problem } from '../auth/problem.js';
import { pathParams } from '../contracts/params.js';

const newKeyBody = z.object({
  name: z.string().regex(INTAKE_KEY_NAME, 'lower-case letters, digits and dashes'),
});
const revokeBody = z.object({ reason: z.string().trim().min(3).max(500) });

/** The intake keys prescriber systems use; admin only. A new key is shown once, in the answer that made it. */
export const intakeKeyRoutes: FastifyPluginAsyncZod<{ keys: IntakeKeys }> = async (app, { keys }) => {
  const adminOnly = { preHandler: app.requireRoles('admin') };

  app.get(
    '/api/admin/intake-keys',
    {
      ...adminOnly,
      schema: { tags: ['admin'], summary: 'Intake keys by name: when made, by whom, last used, revoked' },
    },
    async () => ({ keys: await keys.list() }),
  );

  app.post(
    '/api/admin/intake-keys',
    {
      ...adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Issue a named intake key (shown once)',
        body: newKeyBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const key = await keys.issue(body.name, `staff:${request.staff!.id}`);
        request.log.info({ keyName: body.name, by: request.staff!.id }, 'intake key issued');
        return reply.code(201).send({ name: body.name, key });
      } catch (error) {
        if (error instanceof IntakeKeyError && error.reason === 'name_taken')
          return problem(reply, 409, 'Name already used', 'An intake key has had this name: choose another.');
        throw error;
      }
    },
  );

  app.post(
    '/api/admin/intake-keys/:name/revoke',
    {
      ...adminOnly,
      schema: {
        params: pathParams('name'),
        tags: ['admin'],
        summary: 'Revoke an intake key: refused from the next request on',
        body: revokeBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        await keys.revoke(request.params.name, body.reason, `staff:${request.staff!.id}`);
      } catch (error) {
        if (error instanceof IntakeKeyError)
          return problem(reply, 404, 'Not found', 'There is no intake key of that name.');
        throw error;
      }
      request.log.info({ keyName: request.params.name, by: request.staff!.id }, 'intake key revoked');
      return { name: request.params.name, revoked: true };
    },
  );
};
