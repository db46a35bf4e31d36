import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Notifier } from '../../eventstore/postgres/notifier.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import { authenticateToken } from '../../stores/staffSessions.js';
import { credentialOf } from '../auth/context.js';
import { problem } from '../auth/problem.js';
import { hasAnyRole, type StaffRole, type StaffUser } from '../auth/roles.js';
import { createLiveFeed, type LiveFeedOptions } from './liveFeed.js';
import { type LiveSocket, serveLiveSocket } from './liveSocket.js';
import type { LiveChange } from './protocol.js';

export type LiveRoutesOptions = {
  pool: SqlPool;
  store: EventStore;
  clock: Clock;
  notifier: Notifier;
  /** Where the shared feed reads events (the process's shared tail); the table unless given. */
  readEvents?: LiveFeedOptions['read'];
  /** Safety-net poll of the shared feed; the notifier wakes it at once. 500 ms unless given. */
  pollIntervalMs?: number;
  /** Ping period (30 s unless given); each ping also re-checks the socket's session. */
  heartbeatMs?: number;
  /** Staff sessions' idle timeout (30 minutes unless given). */
  idleTimeoutMs?: number;
  replayBatchSize?: number;
};

/** Who receives which changes: the order console's roles, and the UK queues' (review and pharmacy). */
export const LIVE_CHANGE_ROLES = {
  'order-changed': ['ops', 'pharmacist', 'auditor'],
  'consultation-changed': ['ops', 'pharmacist', 'prescriber'],
} as const satisfies Record<LiveChange['type'], readonly StaffRole[]>;

export const LIVE_ROLES: readonly StaffRole[] = [...new Set(Object.values(LIVE_CHANGE_ROLES).flat())];

/** Client messages are one small JSON object; anything larger is refused by the socket itself. */
export const LIVE_MAX_PAYLOAD = 16 * 1024;

/**
 * A browser attaches the session cookie to a websocket opened by any site, and the same-origin
 * policy does not cover websockets: a cookie is only accepted from a page of our own origin.
 */
const sameOrigin = (request: FastifyRequest): boolean => {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
};

/**
 * `GET /api/live`: order and consultation changes pushed to staff pages over a websocket (see protocol.ts).
 * Staff authenticate before the upgrade, with the session cookie (same origin only), a Bearer
 * header or a `token` query parameter (scripts); a refusal is a plain 401/403 problem. One shared
 * feed reads the store for every socket of the process.
 */
export const liveRoutes: FastifyPluginAsync<LiveRoutesOptions> = async (app, options) => {
  const { pool, store, clock } = options;
  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: LIVE_MAX_PAYLOAD } });

  const feed = createLiveFeed({
    pool,
    store,
    notifier: options.notifier,
    read: options.readEvents,
    pollIntervalMs: options.pollIntervalMs,
    log: app.log,
  });
  app.addHook('onClose', async () => feed.close());
  const tokens = new WeakMap<FastifyRequest, string>();

  const admit = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token: queryToken } = request.query as { token?: unknown };
    let token: string | undefined;
    let user: StaffUser | null = null;
    if (typeof queryToken === 'string') {
      token = queryToken;
      user = await authenticateToken(pool, queryToken, clock, { idleTimeoutMs: options.idleTimeoutMs });
    } else {
      const credential = credentialOf(request);
      if (credential?.via === 'cookie' && !sameOrigin(request))
        return problem(reply, 403, 'Cross-site request refused', 'Open live updates from our own pages.');
      token = credential?.token;
      // A session that must first replace an admin-set password receives nothing.
      user = credential?.session.mustChangePassword ? null : request.staff;
    }
    if (!token || !user) {
      reply.header('www-authenticate', 'Bearer');
      return problem(reply, 401, 'Authentication required', 'Sign in to receive live updates.');
    }
    if (!hasAnyRole(user, LIVE_ROLES)) {
      const detail = `Live updates need one of the roles: ${LIVE_ROLES.join(', ')}.`;
      return problem(reply, 403, 'Role required', detail, { requiredRoles: LIVE_ROLES });
    }
    tokens.set(request, token);
  };

  app.get(
    '/api/live',
    {
      websocket: true,
      preHandler: admit,
      config: { access: { kind: 'staff', roles: [...LIVE_ROLES] } },
      schema: { tags: ['live'], summary: 'Order and consultation changes as they commit (websocket)' },
    },
    (socket, request) =>
      serveLiveSocket(socket as LiveSocket, tokens.get(request)!, {
        pool,
        store,
        clock,
        feed,
        roles: LIVE_ROLES,
        rolesFor: LIVE_CHANGE_ROLES,
        heartbeatMs: options.heartbeatMs ?? 30_000,
        idleTimeoutMs: options.idleTimeoutMs,
        replayBatchSize: options.replayBatchSize,
        logError: (error, what) => request.log.error({ err: error }, what),
      }),
  );
};
