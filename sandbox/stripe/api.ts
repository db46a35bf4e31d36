import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StripeApiError } from './apiError.js';
import type { FormObject } from './formBody.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency.js';

/** A route handler reads parsed parameters and returns a Stripe object or throws `StripeApiError`. */
export type ApiHandler = (input: { params: FormObject; path: Record<string, string> }) => unknown;

/** What route modules register on: the idempotency, auth and error shape are handled once, here. */
export type ApiRouter = {
  get(path: string, handler: ApiHandler): void;
  post(path: string, handler: ApiHandler): void;
};

/** Outage switches the tests flip: answer the next requests with an error status, or slowly. */
export type FaultPlan = {
  failures: { count: number; status: number };
  delays: { count: number; ms: number };
};

const errorReply = (reply: FastifyReply, status: number, error: StripeApiError['body']) =>
  reply
    .code(status)
    .header('request-id', `req_${randomUUID().replaceAll('-', '').slice(0, 14)}`)
    .send({ error });

/** `Authorization: Bearer sk_test_…`; live keys are refused so a stand-in never holds one. */
const apiKeyOf = (request: FastifyRequest): string | StripeApiError => {
  const header = request.headers.authorization;
  if (!header) {
    return new StripeApiError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  const key = header.replace(/^Bearer\s+/i, '');
  if (!/^(sk|rk)_test_\w+$/.test(key)) {
    return new StripeApiError(401, {
      type: 'invalid_request_error',
      message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
    });
  }
  return key;
};

const faultStatusBody = (status: number): StripeApiError['body'] =>
  status === 429
    ? {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Too many requests hit the API too quickly.',
      }
    : { type: 'api_error', message: 'The Stripe stand-in was told to fail this request.' };

/** Registers `/v1` as an encapsulated plugin: its hooks and error handler touch no other route. */
export const registerApi = async (
  app: FastifyInstance,
  faults: FaultPlan,
  routes: readonly ((router: ApiRouter) => void)[],
  idempotency: IdempotencyStore = createIdempotencyStore(),
): Promise<void> => {
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        if (faults.delays.count > 0) {
          faults.delays.count -= 1;
          await sleep(faults.delays.ms);
        }
        if (faults.failures.count > 0) {
          faults.failures.count -= 1;
          return errorReply(reply, faults.failures.status, faultStatusBody(faults.failures.status));
        }
        const key = apiKeyOf(request);
        if (key instanceof StripeApiError) return errorReply(reply, key.status, key.body);
      });

      // Set before the routes: a route keeps the error handler of the moment it was added.
      api.setErrorHandler((error: FastifyError, _request, reply) => {
        if (error instanceof StripeApiError) return errorReply(reply, error.status, error.body);
        const status =
          typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500;
        return errorReply(
          reply,
          status,
          status < 500
            ? { type: 'invalid_request_error', message: error.message }
            : { type: 'api_error', message: `The stand-in failed: ${error.message}` },
        );
      });
      api.setNotFoundHandler((request, reply) =>
        errorReply(reply, 404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        }),
      );

      const handle = (handler: ApiHandler) => async (request: FastifyRequest, reply: FastifyReply) => {
        const params = ((request.method === 'GET' ? request.query : request.body) ?? {}) as FormObject;
        const key = request.headers['idempotency-key'];
        const answer = await idempotency.run(
          {
            apiKey: apiKeyOf(request) as string,
            key: typeof key === 'string' ? key : undefined,
            method: request.method,
            path: request.url.split('?')[0] ?? request.url,
            params,
          },
          () => handler({ params, path: request.params as Record<string, string> }),
        );
        reply
          .code(answer.status)
          .header('request-id', `req_${randomUUID().replaceAll('-', '').slice(0, 14)}`);
        if (typeof key === 'string') reply.header('idempotency-key', key);
        if (answer.replayed) reply.header('idempotent-replayed', 'true');
        return reply.send(answer.body);
      };
      const router: ApiRouter = {
        get: (path, handler) => api.get(path, handle(handler)),
        post: (path, handler) => api.post(path, handle(handler)),
      };
      for (const register of routes) register(router);
    },
    { prefix: '/v1' },
  );
};
