import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../platform/metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when the request carries `Authorization: Bearer <token>`; compared in constant time. */
const bearerIs = (request: FastifyRequest, token: string) => {
  const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
};

/**
 * Times every answered request into the latency histogram (by route template, never by URL, so
 * ids never become labels) and serves the registry at `/metrics`. A scraper presents
 * METRICS_TOKEN as a bearer token; without one, only signed-in ops or admin staff may read it.
 */
export const registerMetrics = (app: FastifyInstance, metrics: Metrics, token: string | undefined) => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const staffGuard = app.requireRoles('ops', 'admin');
  app.get(
    '/metrics',
    {
      schema: { hide: true },
      preHandler: async function (request: FastifyRequest, reply: FastifyReply) {
        if (token && bearerIs(request, token)) return;
        return staffGuard.call(this, request, reply);
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
};
