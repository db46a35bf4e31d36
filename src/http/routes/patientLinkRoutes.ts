import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PatientLinks } from '../../commands/patientLinks.js';
import { problem } from '../auth/problem.js';
import { emailAddress } from '../validation.js';

const requestBody = z.object({ email: emailAddress });
const revokeBody = z.object({
  kind: z.enum(['order', 'consultation']),
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an order or consultation id'),
  reason: z.string().trim().min(3).max(500),
});

const ANSWER = {
  accepted: true,
  detail: 'If we hold orders or consultations for this address, a new link is on its way to it.',
};

/**
 * Patient links: a patient asks for a new one by e-mail address (the same answer, at once, whether
 * or not the address is known: the search and the e-mail happen after it), and staff revoke every
 * link of an order or consultation issued until now.
 */
export const patientLinkRoutes: FastifyPluginAsyncZod<{ links: PatientLinks }> = async (app, { links }) => {
  app.post(
    '/api/patient-links',
    {
      config: { csrfExempt: true, access: { kind: 'public' } },
      schema: {
        tags: ['patient'],
        summary: 'Ask for a new link to one’s orders and consultations, sent to the address on file',
        body: requestBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      void links
        .requestByEmail(body.email)
        .catch((error: Error) => request.log.warn({ err: error }, 'patient link request not recorded'));
      return reply.code(202).send(ANSWER);
    },
  );

  app.post(
    '/api/patient-links/revoke',
    {
      preHandler: app.requireRoles('ops', 'pharmacist'),
      schema: {
        tags: ['patient'],
        summary: 'Revoke every patient link of an order or consultation issued until now',
        body: revokeBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      // Orders are ops' to act on; consultations the pharmacy team's (ops and pharmacists).
      if (body.kind === 'order' && !request.staff!.roles.includes('ops'))
        return problem(reply, 403, 'Role required', 'Only ops may revoke an order’s links.', {
          requiredRoles: ['ops'],
        });
      await links.revoke({ kind: body.kind, id: body.id }, body.reason, `staff:${request.staff!.id}`);
      request.log.info(
        { kind: body.kind, subjectId: body.id, by: request.staff!.id },
        'patient links revoked',
      );
      return { kind: body.kind, id: body.id, revoked: true };
    },
  );
};
