import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IntakeKeys } from '../../commands/intakeKeys.js';
import type { IntakeRefusal, OrderCommands } from '../../commands/prescription/orderCommands.js';
import { problem } from '../auth/problem.js';
import { intakeAccepted, intakeHeaders } from '../contracts/intake.js';

/** NCPDP messages are small; anything over 1 MiB is refused before it is read. */
export const MAX_INTAKE_BYTES = 1024 * 1024;

/** A refusal's status: the body is bad (400), the message is not a NewRx (422), its ID is taken (409). */
const INTAKE_REFUSAL_STATUS: Record<IntakeRefusal, 400 | 409 | 422> = {
  malformed: 400,
  not_newrx: 422,
  message_id_reused: 409,
};

const ASK = 'send the NewRx message as application/xml.';

/** What is wrong with the request's framing before its XML is read: its content type, or no body. */
export const intakeBodyProblem = (
  contentType: string | undefined,
  body: unknown,
): { status: 400 | 415; title: string; detail: string } | null => {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type)
    return {
      status: 415,
      title: 'Missing content type',
      detail: `The request has no Content-Type header: ${ASK}`,
    };
  if (type !== 'application/xml' && type !== 'text/xml')
    return {
      status: 415,
      title: 'Unsupported media type',
      // Only a token-shaped type is echoed: the header is the sender's text.
      detail: `The request was sent as ${/^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'an unknown type'}: ${ASK}`,
    };
  if (typeof body !== 'string' || body.trim() === '')
    return { status: 400, title: 'Empty body', detail: `The request body is empty: ${ASK}` };
  return null;
};

export const intakeRoutes: FastifyPluginAsyncZod<{ commands: OrderCommands; keys: IntakeKeys }> = async (
  app,
  options,
) => {
  // XML arrives as text; parsing (and refusing DTDs) is the domain's job, not the HTTP parser's.
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: MAX_INTAKE_BYTES },
    (_request, body, done) => done(null, body),
  );
  // Any other type, or none, reaches the handler too (in this plugin only), so the refusal can say
  // what arrived instead of Fastify's generic 415. The body is drained, never parsed.
  app.addContentTypeParser('*', (_request, payload, done) => {
    let bytes = 0;
    payload.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_INTAKE_BYTES) {
        payload.destroy();
        done(Object.assign(new Error('body too large'), { statusCode: 413 }), undefined);
      }
    });
    payload.on('end', () => done(null, undefined));
    payload.on('error', (error) => done(error, undefined));
  });

  app.post(
    '/api/intake',
    {
      bodyLimit: MAX_INTAKE_BYTES,
      config: { csrfExempt: true, access: { kind: 'intake-key' } },
      schema: {
        tags: ['intake'],
        summary: 'Receive an NCPDP SCRIPT NewRx (idempotent on Header/MessageID)',
        description:
          'Authenticated by an intake key in `x-api-key` (several may exist, each named and revocable). Answers 202 with the order the message created.',
        consumes: ['application/xml'],
        headers: intakeHeaders,
        response: { 202: intakeAccepted },
      },
    },
    async (request, reply) => {
      const presented = request.headers['x-api-key'];
      const keyName = await options.keys.verify(typeof presented === 'string' ? presented : undefined);
      if (!keyName) {
        return problem(
          reply,
          401,
          'Invalid intake API key',
          'Send a live intake API key in the x-api-key header.',
        );
      }
      // Only XML: Fastify would read text/plain as a string too, and a sender that labels its
      // message wrongly has a fault worth hearing about. Each refusal says what arrived.
      const refusal = intakeBodyProblem(request.headers['content-type'], request.body);
      if (refusal) return problem(reply, refusal.status, refusal.title, refusal.detail);
      const body = request.body as string;
      const outcome = await options.commands.receiveNewRx(body, {
        actor: `intake:${keyName}`,
        correlationId: request.id,
      });
      if (outcome.kind === 'refused') {
        return problem(
          reply,
          INTAKE_REFUSAL_STATUS[outcome.reason],
          outcome.title,
          outcome.problems.join('; '),
          {
            errors: outcome.problems.map((message) => ({ path: 'body', message })),
          },
        );
      }
      return reply
        .code(202)
        .send({ orderId: outcome.orderId, status: outcome.status, duplicate: outcome.duplicate });
    },
  );
};
