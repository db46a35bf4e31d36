// Brings @fastify/cookie's request and reply typings (cookies, setCookie) into scope.
import type {} from '@fastify/cookie';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import type { StaffSession } from '../../stores/staffSessions.js';
import type { RouteAccess } from '../access.js';
import type { StaffRole, StaffUser } from './roles.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler admitting staff holding any of `roles` (no roles: any signed-in staff member). */
    requireRoles(...roles: StaffRole[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The signed-in staff member, or null; set for every request once the plugin is registered. */
    staff: StaffUser | null;
  }
  interface FastifyContextConfig {
    /** Only for routes that start a session (sign-in): they cannot present a CSRF token yet. */
    csrfExempt?: boolean;
    /** Who may call the route, when it is not a staff route guarded by `requireRoles` (see access.ts). */
    access?: RouteAccess;
  }
}

export type StaffAuthOptions = {
  pool: SqlPool;
  clock: Clock;
  /** Where staff account events go: the platform's event store. */
  store: EventStore;
  /** Absolute session lifetime, however active; 12 hours unless given. */
  sessionTtlMs?: number;
  /** A session unused for this long ends; 30 minutes unless given. */
  idleTimeoutMs?: number;
  /** Always mark the cookie Secure (behind a TLS-terminating proxy without trustProxy, say). */
  secureCookies?: boolean;
};

export const SESSION_COOKIE = 'session';
export const CSRF_HEADER = 'x-csrf-token';

/** How a request proved who it is: the cookie a browser sends by itself, or a Bearer header a script sets. */
export type Credential = { via: 'cookie' | 'bearer'; token: string; session: StaffSession };

/** Kept off the request object so the raw token cannot end up in a serialised request or a log line. */
const credentials = new WeakMap<FastifyRequest, Credential>();

export const rememberCredential = (request: FastifyRequest, credential: Credential): void => {
  credentials.set(request, credential);
};

export const credentialOf = (request: FastifyRequest): Credential | undefined => credentials.get(request);
