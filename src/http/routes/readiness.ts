import type { FastifyInstance } from 'fastify';
import { safeError } from '../../platform/safeError.js';
import type { SubscriptionLag } from '../../projections/health/platformHealth.js';
import { problem } from '../auth/problem.js';

/** A subscription whose oldest unhandled event is older than this is behind: not ready. */
export const READY_MAX_LAG_SECONDS = 10;

/**
 * `/api/ready`: the database answers and every subscription has caught up, so what a caller reads
 * reflects what it wrote a moment ago. `/api/health` says only that the process lives and reaches
 * the database; a load balancer sends traffic on ready, restarts on health.
 */
export const readinessRoutes = async (
  app: FastifyInstance,
  options: {
    /** Every subscription's lag, the document read models' included (the platform's). */
    lags: () => Promise<SubscriptionLag[]>;
  },
) => {
  const lagsOf = options.lags;
  app.get(
    '/api/ready',
    {
      config: { access: { kind: 'public' }, phiRead: false },
      schema: { tags: ['operations'], summary: 'Readiness: database reachable and subscriptions caught up' },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      let lags: SubscriptionLag[];
      try {
        lags = await lagsOf();
      } catch (error) {
        request.log.warn({ err: safeError(error) }, 'readiness check: database unreachable');
        reply.header('retry-after', '5');
        return problem(reply, 503, 'Not ready', 'The database is not reachable.');
      }
      const behind = lags.filter((lag) => lag.seconds > READY_MAX_LAG_SECONDS);
      if (behind.length > 0) {
        reply.header('retry-after', '5');
        return problem(reply, 503, 'Not ready', 'Subscriptions are catching up with the event store.', {
          behind: behind.map(({ subscriptionId, events, seconds }) => ({ subscriptionId, events, seconds })),
        });
      }
      return { status: 'ready', subscriptions: lags.length };
    },
  );
};
