import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import { problem } from '../auth/problem.js';

/** NCPDP messages are small; anything over 1 MiB is refused before it is read. */
export const MAX_INTAKE_BYTES = 1024 * 1024;

const sameKey = (given: string | undefined, expected: string) => {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const intakeRoutes: FastifyPluginAsync<{ commands: OrderCommands; intakeApiKey: string }> = async (
  app,
  options,
) => {
  // XML arrives as text; parsing (and refusing DTDs) is the domain's job, not the HTTP parser's.
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: MAX_INTAKE_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/intake',
    {
      bodyLimit: MAX_INTAKE_BYTES,
      config: { csrfExempt: true },
      schema: {
        tags: ['intake'],
        summary: 'Receive an NCPDP SCRIPT NewRx (idempotent on Header/MessageID)',
        description:
          'Authenticated by the intake API key in `x-api-key`. Answers 202 with the order the message created.',
        consumes: ['application/xml'],
        headers: { type: 'object', properties: { 'x-api-key': { type: 'string' } } },
        response: {
          202: {
            type: 'object',
            properties: {
              orderId: { type: 'string' },
              status: { type: 'string' },
              duplicate: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      if (!sameKey(request.headers['x-api-key'] as string | undefined, options.intakeApiKey)) {
        return problem(
          reply,
          401,
          'Invalid intake API key',
          'Send the intake API key in the x-api-key header.',
        );
      }
      if (typeof request.body !== 'string') {
        return problem(reply, 415, 'Unsupported media type', 'Send the NewRx message as application/xml.');
      }
      const outcome = await options.commands.receiveNewRx(request.body, { actor: 'intake:api-key' });
      if (outcome.kind === 'refused') {
        return problem(reply, outcome.status, outcome.title, outcome.problems.join('; '), {
          errors: outcome.problems.map((message) => ({ path: 'body', message })),
        });
      }
      return reply
        .code(202)
        .send({ orderId: outcome.orderId, status: outcome.status, duplicate: outcome.duplicate });
    },
  );
};
