import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { OrderCommands } from '../commands/prescription/orderCommands.js';
import type { EventStore } from '../eventstore/types.js';
import type { PaymentGateway, PaymentWebhookEvent } from '../integrations/payments/port.js';
import type { ShippingCarrier } from '../integrations/shipping/port.js';
import type { Clock } from '../platform/clock.js';
import type { ProcessRuntime } from '../processes/runtime.js';
import { staffAuthPlugin } from './auth/index.js';
import { sendError } from './errors.js';
import { intakeRoutes } from './routes/intake.js';
import { operationsRoutes } from './routes/operations.js';
import { orderRoutes } from './routes/orders.js';
import { patientRoutes } from './routes/patient.js';
import { webhookRoutes } from './routes/webhooks.js';

export type HttpDeps = {
  pool: pg.Pool;
  store: EventStore;
  clock: Clock;
  commands: OrderCommands;
  processes: ProcessRuntime;
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  intakeApiKey: string;
  linkSecret: string;
  secureCookies?: boolean;
  logLevel?: string;
  otherPaymentHandlers?: ((event: PaymentWebhookEvent) => Promise<boolean>)[];
  /** Registers more routes (other flows, the web front end) inside the same app. */
  extend?: (app: FastifyInstance) => Promise<void>;
};

/** Query strings may carry tokens (webhook secrets, status links): logs get the path only. */
const redactUrl = (url: string) => url.split('?')[0]!.replace(/\/enroll\/[^/]+/, '/enroll/[token]');

export const buildHttpApp = async (deps: HttpDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: {
      level: deps.logLevel ?? 'info',
      serializers: {
        req: (request) => ({ method: request.method, url: redactUrl(request.url), id: request.id }),
      },
    },
    // Request ids correlate a request's log lines and its audit records.
    genReqId: () => crypto.randomUUID(),
    trustProxy: false,
  });

  // zod validates in the handlers; the JSON Schemas on routes exist to document them.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  // API answers carry patient data and depend on who asks (token headers): never cache them.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      reply.header('vary', 'authorization, cookie, x-enrollment-token, x-status-token');
    }
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `No route for ${request.method} ${redactUrl(request.url)}`,
      }),
  );

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Pharmacy order platform API',
        version: '1.0.0',
        description:
          'Prescription intake, ops actions, patient enrollment and vendor webhooks. Staff sign in with POST /api/auth/login and send the token as `Authorization: Bearer …` (or the session cookie plus `x-csrf-token`).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          intakeKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          enrollmentToken: { type: 'apiKey', in: 'header', name: 'x-enrollment-token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(staffAuthPlugin, {
    pool: deps.pool,
    clock: deps.clock,
    secureCookies: deps.secureCookies,
  });

  app.get(
    '/api/health',
    { schema: { tags: ['operations'], summary: 'Liveness and database reachability' } },
    async () => {
      await deps.pool.query('SELECT 1');
      return { status: 'ok' };
    },
  );

  await app.register(intakeRoutes, { commands: deps.commands, intakeApiKey: deps.intakeApiKey });
  const { pool, store, clock, commands, processes, payments, carrier, linkSecret } = deps;
  await app.register(orderRoutes, { pool, store, clock, commands, processes });
  await app.register(patientRoutes, { pool, store, clock, commands, linkSecret });
  await app.register(webhookRoutes, {
    pool,
    commands,
    payments,
    carrier,
    otherPaymentHandlers: deps.otherPaymentHandlers,
  });
  await app.register(operationsRoutes, { pool, processes });
  if (deps.extend) await deps.extend(app);
  return app;
};
