import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { IntakeKeys } from '../commands/intakeKeys.js';
import type { PatientLinks } from '../commands/patientLinks.js';
import type { OrderCommands } from '../commands/prescription/orderCommands.js';
import type { Consumers } from '../eventstore/consumers.js';
import type { EventStore } from '../eventstore/types.js';
import type { DocumentStore } from '../integrations/documents/port.js';
import type { PaymentGateway } from '../integrations/payments/port.js';
import type { ShippingCarrier } from '../integrations/shipping/port.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { safeError } from '../platform/safeError.js';
import { pingDatabase, type SqlPool } from '../platform/sql.js';
import type { ProcessRuntime } from '../processes/runtime.js';
import type { DashboardReads } from '../projections/dashboardReads.js';
import type { SubscriptionLag } from '../projections/health/platformHealth.js';
import { declaredAccess, guardBeforeContract, securityOf } from './access.js';
import { staffAuthPlugin } from './auth/index.js';
import { problem } from './auth/problem.js';
import { sendError } from './errors.js';
import { registerInputBoundary } from './inputBoundary.js';
import { registerMetrics } from './metricsRoute.js';
import { declaredPhiRead, registerPhiReads } from './phiReads.js';
import { registerRequestLog } from './requestLog.js';
import { intakeRoutes } from './routes/intake.js';
import { intakeKeyRoutes } from './routes/intakeKeyRoutes.js';
import { operationsRoutes } from './routes/operations.js';
import { orderRoutes } from './routes/orders.js';
import { patientRoutes } from './routes/patient.js';
import { patientLinkRoutes } from './routes/patientLinkRoutes.js';
import { readinessRoutes } from './routes/readiness.js';
import { type PaymentEventHandler, webhookRoutes } from './routes/webhooks.js';
import { registerRequestSpans } from './tracing.js';
import { registerContracts } from './validation.js';
import { registerSecurityHeaders } from './web/securityHeaders.js';

export type HttpDeps = {
  pool: SqlPool;
  /** Waits for a read model to catch up with an event (an order asked for right after its NewRx). */
  catchUp: Pick<Consumers, 'caughtUp'>;
  /** The dashboards' read models: PostgreSQL's, or MongoDB's with READ_MODELS=mongodb. */
  reads: DashboardReads;
  store: EventStore;
  clock: Clock;
  commands: OrderCommands;
  processes: ProcessRuntime;
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  /** Where the insurance-card images are kept; without it ops cannot open them. */
  documents?: DocumentStore;
  /** The named, hashed, revocable keys intake accepts. */
  intakeKeys: IntakeKeys;
  /** Patient links: judged, revoked, asked for again. */
  patientLinks: PatientLinks;
  linkSecret: string;
  secureCookies?: boolean;
  /** Staff session lifetimes: absolute (12 h) and idle (30 min) unless given. */
  staffSessions?: { absoluteTtlMs: number; idleTimeoutMs: number };
  /** How long an order or consultation may sit in one status before the console flags it (24 h unless given). */
  slaHours?: number;
  /** The zone staff pages show times in (America/New_York unless given). */
  pharmacyTimeZone?: string;
  /** The process's logger; each request logs under a child carrying its id as `correlationId`. */
  logger: Logger;
  /** One info line per answered request (default on); `npm start --no-request-logs` turns it off. */
  requestLogs?: boolean;
  otherPaymentHandlers?: PaymentEventHandler[];
  /** Served at /metrics, with request latencies recorded into it. */
  metrics?: Metrics;
  /** A bearer token that may read /metrics; without it only ops and admin staff can. */
  metricsToken?: string;
  /**
   * Every subscription's lag for /api/ready, the document read models' (READ_MODELS=mongodb)
   * included: the platform's.
   */
  subscriptionLags: () => Promise<SubscriptionLag[]>;
  /** Registers more routes (other flows, the web front end) inside the same app. */
  extend?: (app: FastifyInstance) => Promise<void>;
};

/** Query strings may carry tokens (webhook secrets, status links): answers quote the path only. */
const redactUrl = (url: string) => url.split('?')[0]!.replace(/\/enroll\/[^/]+/, '/enroll/[token]');

/** Path parameters worth a log line: the platform's own ids. Anything else may be what a caller typed. */
const ID_SHAPED = /^(?:[0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * What a log says about the URL: the matched route with its id parameters filled in
 * (`/api/orders/01J…/events`), never the path as sent (a mistyped or hostile path can hold a name)
 * and never the query (it can hold tokens or searches for a patient).
 */
const loggedRoute = (request: { routeOptions?: { url?: string }; params?: unknown }) => {
  const template = request.routeOptions?.url;
  if (!template) return '[no route]';
  const params = (request.params ?? {}) as Record<string, unknown>;
  return template.replace(/:(\w+)/g, (whole, name: string) => {
    const value = params[name];
    return typeof value === 'string' && ID_SHAPED.test(value) ? value : whole;
  });
};

export const buildHttpApp = async (deps: HttpDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: deps.logger.child(
      {},
      {
        serializers: {
          req: (request) => ({
            method: request.method,
            route: loggedRoute(request as never),
            id: request.id,
          }),
        },
      },
    ),
    // Request ids correlate a request's log lines and its audit records.
    genReqId: () => crypto.randomUUID(),
    trustProxy: false,
    // Fastify's own two lines per request are replaced by one (requestLog.ts), or none. The request
    // id is the correlation id of the events its commands append (routes pass it): its lines carry
    // it under the same name as the process managers' lines.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
  });
  try {
    await registerEverything(app, deps);
  } catch (error) {
    // What registered so far (the live feed, hooks holding resources) is closed, not left behind.
    await app.close().catch(() => {});
    throw error;
  }
  return app;
};

const registerEverything = async (app: FastifyInstance, deps: HttpDeps): Promise<void> => {
  if (deps.requestLogs !== false) registerRequestLog(app, loggedRoute);

  // Every route's zod contract (src/http/contracts) parses its request and checks its answer;
  // staff guards run before it.
  registerContracts(app);
  registerRequestSpans(app);
  app.addHook('onRoute', guardBeforeContract);
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  registerSecurityHeaders(app, { hsts: deps.secureCookies });
  registerInputBoundary(app);
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
          'Prescription intake, ops actions, patient enrollment and vendor webhooks. Staff sign in with POST /api/auth/login and send the token as `Authorization: Bearer …` (or the session cookie plus `x-csrf-token`). Every operation states who may call it in `x-access`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'session' },
          intakeKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          'enrollment-token': { type: 'apiKey', in: 'header', name: 'x-enrollment-token' },
          'status-token': { type: 'apiKey', in: 'header', name: 'x-status-token' },
          'consultation-key': { type: 'apiKey', in: 'header', name: 'x-consultation-token' },
        },
      },
    },
    // Who may call each operation, from the route's own declaration (see access.ts); a route that
    // declares none is published as `undeclared`, which the authorisation-matrix test refuses.
    // The zod contracts become the document's JSON Schemas, then each operation says who may call it.
    transform: (document) => {
      const { schema, url } = jsonSchemaTransform(document);
      const access = declaredAccess(document.route);
      const security = securityOf(access);
      return {
        schema: {
          ...(schema ?? {}),
          'x-access': access ?? 'undeclared',
          ...(security ? { security } : {}),
          'x-phi-read': declaredPhiRead(document.route) ?? 'undeclared',
        },
        url,
      } as never;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
    // The UI's own policy (its inline scripts by hash), tightened: never framed, nothing from afar.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replaceAll(' https:', '')
        .replace(' validator.swagger.io', '')
        .replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  await app.register(cookie);
  await app.register(staffAuthPlugin, {
    pool: deps.pool,
    store: deps.store,
    clock: deps.clock,
    secureCookies: deps.secureCookies,
    sessionTtlMs: deps.staffSessions?.absoluteTtlMs,
    idleTimeoutMs: deps.staffSessions?.idleTimeoutMs,
  });

  app.get(
    '/api/health',
    {
      config: { access: { kind: 'public' }, phiRead: false },
      schema: { tags: ['operations'], summary: 'Liveness and database reachability' },
    },
    async (request, reply) => {
      try {
        await pingDatabase(deps.pool);
      } catch (error) {
        request.log.warn({ err: safeError(error) }, 'health check: database unreachable');
        reply.header('retry-after', '5');
        return problem(reply, 503, 'Service unavailable', 'The database is not reachable.');
      }
      return { status: 'ok' };
    },
  );

  registerPhiReads(app, { store: deps.store, clock: deps.clock });
  await app.register(readinessRoutes, { lags: deps.subscriptionLags });
  if (deps.metrics) registerMetrics(app, deps.metrics, deps.metricsToken);

  await app.register(intakeRoutes, { commands: deps.commands, keys: deps.intakeKeys });
  await app.register(intakeKeyRoutes, { keys: deps.intakeKeys });
  const { pool, store, clock, commands, processes, payments, carrier } = deps;
  await app.register(orderRoutes, {
    pool,
    reads: deps.reads,
    store,
    clock,
    commands,
    processes,
    documents: deps.documents,
    catchUp: deps.catchUp,
  });
  await app.register(patientRoutes, { pool, store, clock, commands, links: deps.patientLinks });
  await app.register(patientLinkRoutes, { links: deps.patientLinks });
  await app.register(webhookRoutes, {
    pool,
    store,
    clock,
    commands,
    payments,
    carrier,
    otherPaymentHandlers: deps.otherPaymentHandlers,
  });
  await app.register(operationsRoutes, {
    pool,
    reads: deps.reads,
    processes,
    store,
    clock,
    slaHours: deps.slaHours ?? 24,
    pharmacyTimeZone: deps.pharmacyTimeZone ?? 'America/New_York',
  });
  if (deps.extend) await deps.extend(app);
};
