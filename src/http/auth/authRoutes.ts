import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_FAILED_ATTEMPTS } from '../../stores/loginThrottle.js';
import { findCredentialsById } from '../../stores/staffCredentials.js';
import { csrfTokenFor, revokeSession } from '../../stores/staffSessions.js';
import type { RouteAccess } from '../access.js';
import { sessionInfo, signedIn } from '../contracts/staff.js';
import { credentialOf, SESSION_COOKIE, type StaffAuthOptions } from './context.js';
import { MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import { issuesOf, problem, problemErrorHandler } from './problem.js';
import { signIn } from './signIn.js';
import { type StaffAccounts, StaffUserError } from './staffUsers.js';

// Bounded so a megabyte "password" cannot make scrypt a denial-of-service lever.
const loginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });
const passwordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
});

export type AuthRoutesOptions = StaffAuthOptions & { accounts: StaffAccounts };

const cookieOptions = (request: FastifyRequest, options: StaffAuthOptions) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  path: '/',
  secure: options.secureCookies === true || request.protocol === 'https',
});

const unauthenticated = (reply: FastifyReply) => {
  reply.header('www-authenticate', 'Bearer');
  return problem(reply, 401, 'Authentication required', 'No valid session: sign in again.');
};

const PUBLIC: { access: RouteAccess } = { access: { kind: 'public' } };
const ANY_SESSION: { access: RouteAccess } = { access: { kind: 'session' } };

/** Sign-in, sign-out, "who am I" and changing one's password. Logs carry staff ids, never emails, passwords or tokens. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (fastify, options) => {
  fastify.setErrorHandler(problemErrorHandler);
  // The answers are checked against their contracts wherever the plugin is registered (tests too).
  fastify.setSerializerCompiler(serializerCompiler);
  const { accounts, clock } = options;

  fastify.post(
    '/api/auth/login',
    {
      config: { csrfExempt: true, ...PUBLIC },
      schema: {
        tags: ['staff'],
        summary: 'Sign in: sets the session cookie and returns a bearer token',
        response: { 200: signedIn },
      },
    },
    async (request, reply) => {
      const parsed = loginBody.safeParse(request.body);
      if (!parsed.success)
        return problem(reply, 400, 'Invalid sign-in request', 'Send a JSON body with email and password.', {
          errors: issuesOf(parsed.error.issues),
        });
      const result = await signIn(options.pool, parsed.data, {
        clock,
        sessionTtlMs: options.sessionTtlMs,
        source: request.ip,
        userAgent: request.headers['user-agent'],
      });
      switch (result.kind) {
        case 'rejected':
          request.log.info('staff sign-in rejected');
          return problem(reply, 401, 'Sign-in failed', 'The email or password is incorrect.');
        case 'locked': {
          const waitSeconds = Math.ceil((result.until.getTime() - clock.now().getTime()) / 1000);
          request.log.warn('staff sign-in refused: too many failed attempts from this address');
          reply.header('retry-after', String(Math.max(waitSeconds, 1)));
          return problem(
            reply,
            423,
            'Too many failed sign-ins',
            `Sign-in paused after ${MAX_FAILED_ATTEMPTS} failed attempts; try again after ${result.until.toISOString()}.`,
            { lockedUntil: result.until.toISOString() },
          );
        }
        case 'signed_in': {
          const { user, session, mustChangePassword } = result;
          await accounts.execute(
            user.id,
            { type: 'RecordSignIn', sessionId: session.id },
            { actor: `staff:${user.id}`, correlationId: request.id },
          );
          const maxAge = Math.floor((session.expiresAt.getTime() - clock.now().getTime()) / 1000);
          reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(request, options), maxAge });
          request.log.info({ staffId: user.id }, 'staff signed in');
          return {
            user: { ...user, mustChangePassword },
            sessionId: session.id,
            token: session.token,
            csrfToken: session.csrfToken,
            expiresAt: session.expiresAt.toISOString(),
          };
        }
      }
    },
  );

  // Idempotent: signing out without a live session still clears whatever cookie the browser holds.
  fastify.post(
    '/api/auth/logout',
    { config: PUBLIC, schema: { tags: ['staff'], summary: 'Sign out: ends this session' } },
    async (request, reply) => {
      const credential = credentialOf(request);
      if (credential) {
        await revokeSession(options.pool, credential.token, clock);
        request.log.info({ staffId: credential.session.user.id }, 'staff signed out');
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request, options));
      return reply.code(204).send();
    },
  );

  fastify.get(
    '/api/auth/me',
    {
      config: ANY_SESSION,
      schema: {
        tags: ['staff'],
        summary: 'The signed-in staff member and their session',
        response: { 200: sessionInfo },
      },
    },
    async (request, reply) => {
      const credential = credentialOf(request);
      if (!credential) return unauthenticated(reply);
      return {
        user: { ...credential.session.user, mustChangePassword: credential.session.mustChangePassword },
        sessionId: credential.session.id,
        csrfToken: csrfTokenFor(credential.token),
        expiresAt: credential.session.expiresAt.toISOString(),
        idleExpiresAt: credential.session.idleExpiresAt.toISOString(),
      };
    },
  );

  fastify.post(
    '/api/auth/password',
    {
      config: ANY_SESSION,
      schema: {
        tags: ['staff'],
        summary: 'Change one’s own password; every other session of the member ends',
      },
    },
    async (request, reply) => {
      const credential = credentialOf(request);
      if (!credential) return unauthenticated(reply);
      const parsed = passwordBody.safeParse(request.body);
      if (!parsed.success)
        return problem(reply, 400, 'Invalid password change', 'See errors for the fields to correct.', {
          errors: issuesOf(parsed.error.issues),
        });
      const { currentPassword, newPassword } = parsed.data;
      const staffId = credential.session.user.id;
      const held = await findCredentialsById(options.pool, staffId);
      if (!held || !(await verifyPassword(currentPassword, held.passwordHash)))
        return problem(reply, 403, 'Current password incorrect', 'The current password is not right.');
      if (newPassword === currentPassword)
        return problem(
          reply,
          400,
          'Invalid password change',
          'Choose a password different from the current one.',
        );
      try {
        await accounts.setPassword(staffId, newPassword);
      } catch (error) {
        if (error instanceof StaffUserError)
          return problem(reply, 400, 'Invalid password change', error.message);
        throw error;
      }
      await accounts.execute(
        staffId,
        { type: 'ChangePassword', keepSessionId: credential.session.id },
        { actor: `staff:${staffId}`, correlationId: request.id },
      );
      request.log.info({ staffId }, 'staff password changed');
      return reply.code(204).send();
    },
  );
};
