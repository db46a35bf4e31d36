import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import type { ProcessRuntime } from '../../processes/runtime.js';
import { problem } from '../auth/problem.js';

/** What needs a person: events parked after repeated failures, and vendor calls waiting or flagged. */
export const operationsRoutes: FastifyPluginAsync<{ pool: pg.Pool; processes: ProcessRuntime }> = async (
  app,
  options,
) => {
  const guard = { preHandler: app.requireRoles('ops', 'admin') };

  app.get(
    '/api/operations/parked',
    { ...guard, schema: { tags: ['operations'], summary: 'Events parked with their error' } },
    async () => {
      const { rows } = await options.pool.query(
        `SELECT subscription_id, event_id, stream_name, event_type, error, attempts, status, parked_at, resolved_at
         FROM parked_events ORDER BY parked_at DESC LIMIT 500`,
      );
      return {
        items: rows.map((r) => ({
          subscriptionId: r.subscription_id,
          eventId: r.event_id,
          streamName: r.stream_name,
          eventType: r.event_type,
          // The first line says what went wrong; the stack stays in the table for engineers.
          error: String(r.error).split('\n')[0],
          attempts: r.attempts,
          status: r.status,
          parkedAt: r.parked_at,
          resolvedAt: r.resolved_at,
        })),
      };
    },
  );

  app.post<{ Params: { subscription: string; eventId: string } }>(
    '/api/operations/parked/:subscription/:eventId/retry',
    { ...guard, schema: { tags: ['operations'], summary: 'Retry a parked event' } },
    async (request, reply) => {
      const name = request.params.subscription.replace(/^process:/, '');
      try {
        const outcome = await options.processes.retryParked(name, request.params.eventId);
        return { outcome };
      } catch (error) {
        return problem(reply, 404, 'Cannot retry', (error as Error).message);
      }
    },
  );

  app.get(
    '/api/operations/incidents',
    { ...guard, schema: { tags: ['operations'], summary: 'Vendor calls pending or flagged' } },
    async () => {
      const { rows } = await options.pool.query(
        'SELECT * FROM integration_incidents ORDER BY updated_at DESC',
      );
      return { items: rows };
    },
  );
};
