import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { credentialOf, SESSION_COOKIE, type StaffAuthOptions } from './context.js';
import { MAX_FAILED_ATTEMPTS } from './lockout.js';
import { issuesOf, problem, problemErrorHandler } from './problem.js';
import { csrfTokenFor, revokeSession } from './sessions.js';
import { signIn } from './signIn.js';

// Bounded so a megabyte "password" cannot make scrypt a denial-of-service lever.
const loginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

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

/** Sign-in, sign-out and "who am I". Logs carry staff ids, never emails, passwords or tokens. */
export const authRoutes: FastifyPluginAsync<StaffAuthOptions> = async (fastify, options) => {
  fastify.setErrorHandler(problemErrorHandler);

  fastify.post('/api/auth/login', { config: { csrfExempt: true } }, async (request, reply) => {
    const parsed = loginBody.safeParse(request.body);
    if (!parsed.success)
      return problem(reply, 400, 'Invalid sign-in request', 'Send a JSON body with email and password.', {
        errors: issuesOf(parsed.error.issues),
      });
    const result = await signIn(options.pool, parsed.data, options);
    switch (result.kind) {
      case 'rejected':
        request.log.info('staff sign-in rejected');
        return problem(reply, 401, 'Sign-in failed', 'The email or password is incorrect.');
      case 'locked': {
        const waitSeconds = Math.ceil((result.until.getTime() - options.clock.now().getTime()) / 1000);
        request.log.warn('staff sign-in refused: account locked');
        reply.header('retry-after', String(Math.max(waitSeconds, 1)));
        return problem(
          reply,
          423,
          'Account locked',
          `Account locked after ${MAX_FAILED_ATTEMPTS} failed sign-ins; try again after ${result.until.toISOString()}.`,
          { lockedUntil: result.until.toISOString() },
        );
      }
      case 'signed_in': {
        const { user, session } = result;
        const maxAge = Math.floor((session.expiresAt.getTime() - options.clock.now().getTime()) / 1000);
        reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(request, options), maxAge });
        request.log.info({ staffId: user.id }, 'staff signed in');
        return {
          user,
          token: session.token,
          csrfToken: session.csrfToken,
          expiresAt: session.expiresAt.toISOString(),
        };
      }
    }
  });

  // Idempotent: signing out without a live session still clears whatever cookie the browser holds.
  fastify.post('/api/auth/logout', async (request, reply) => {
    const credential = credentialOf(request);
    if (credential) {
      await revokeSession(options.pool, credential.token, options.clock);
      request.log.info({ staffId: credential.session.user.id }, 'staff signed out');
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request, options));
    return reply.code(204).send();
  });

  fastify.get('/api/auth/me', async (request, reply) => {
    const credential = credentialOf(request);
    if (!credential) return unauthenticated(reply);
    return {
      user: credential.session.user,
      csrfToken: csrfTokenFor(credential.token),
      expiresAt: credential.session.expiresAt.toISOString(),
    };
  });
};
