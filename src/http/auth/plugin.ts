import type { FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { csrfTokenMatches, findSession } from '../../stores/staffSessions.js';
import { markStaffGuard } from '../access.js';
import { adminRoutes } from './adminRoutes.js';
import { authRoutes } from './authRoutes.js';
import {
  type Credential,
  CSRF_HEADER,
  credentialOf,
  rememberCredential,
  SESSION_COOKIE,
  type StaffAuthOptions,
} from './context.js';
import { problem } from './problem.js';
import { hasAnyRole, type StaffRole } from './roles.js';
import { staffDirectoryRoutes } from './staffDirectoryRoutes.js';
import { staffAccounts } from './staffUsers.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A Bearer header wins over the cookie and never falls back to it: a request exempt from CSRF checks
 * must be one whose Bearer token was itself valid.
 */
const presentedToken = (request: FastifyRequest): Pick<Credential, 'via' | 'token'> | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (match) return { via: 'bearer', token: match[1]! };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { via: 'cookie', token: cookie } : undefined;
};

const staffAuth: FastifyPluginAsync<StaffAuthOptions> = async (fastify, options) => {
  if (!fastify.hasReplyDecorator('setCookie'))
    throw new Error('register @fastify/cookie before staffAuthPlugin: sessions travel in a cookie');
  const { pool, clock, store } = options;
  const accounts = staffAccounts({ pool, store, clock });

  fastify.decorateRequest('staff', null);

  fastify.decorate('requireRoles', (...roles: StaffRole[]): preHandlerAsyncHookHandler => {
    const accepted = [...roles];
    const guard: preHandlerAsyncHookHandler = async (request, reply) => {
      if (!request.staff) {
        reply.header('www-authenticate', 'Bearer');
        return problem(reply, 401, 'Authentication required', 'Sign in to use this endpoint.');
      }
      // A password someone else set opens only the page that replaces it.
      if (credentialOf(request)?.session.mustChangePassword)
        return problem(
          reply,
          403,
          'Password change required',
          'Choose a new password before anything else.',
          {
            code: 'PASSWORD_CHANGE_REQUIRED',
          },
        );
      if (accepted.length === 0 || hasAnyRole(request.staff, accepted)) return;
      const detail = `This endpoint needs one of the roles: ${accepted.join(', ')}.`;
      return problem(reply, 403, 'Role required', detail, { requiredRoles: accepted });
    };
    return markStaffGuard(guard, accepted);
  });

  fastify.addHook('onRequest', async (request, reply) => {
    const presented = presentedToken(request);
    const session = presented
      ? await findSession(pool, presented.token, clock, { idleTimeoutMs: options.idleTimeoutMs })
      : null;
    if (!presented || !session) return;
    rememberCredential(request, { ...presented, session });
    request.staff = session.user;

    // A browser attaches the cookie to cross-site requests by itself; the header proves the page
    // making this one could read the CSRF token, which only our own pages can.
    if (presented.via !== 'cookie' || !UNSAFE_METHODS.has(request.method)) return;
    if (request.routeOptions.config?.csrfExempt) return;
    const csrf = request.headers[CSRF_HEADER];
    if (typeof csrf !== 'string' || !csrfTokenMatches(session, csrf))
      return problem(
        reply,
        403,
        'CSRF token missing or invalid',
        `Requests signed in by cookie must send the session's CSRF token in the ${CSRF_HEADER} header.`,
      );
  });

  const routeOptions = { ...options, accounts };
  await fastify.register(authRoutes, routeOptions);
  await fastify.register(adminRoutes, routeOptions);
  await fastify.register(staffDirectoryRoutes, routeOptions);
};

/**
 * Staff sign-in, sessions, CSRF protection and role checks. It breaks encapsulation (as
 * fastify-plugin would) so `request.staff`, `requireRoles` and the hooks reach sibling routes;
 * its own routes stay encapsulated. Register `@fastify/cookie` first.
 */
export const staffAuthPlugin = Object.assign(staffAuth, { [Symbol.for('skip-override')]: true });
