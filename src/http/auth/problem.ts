import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeError } from '../../platform/safeError.js';

/** RFC 9457 problem details: every error this edge returns has this shape. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: readonly { path: string; message: string }[];
  [extension: string]: unknown;
};

/** Sends a problem+json reply; `extra` adds members such as `errors` or `requiredRoles`. */
export const problem = (
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply => {
  const body: Problem = { type: 'about:blank', title, status, detail, ...extra };
  return reply.code(status).type('application/problem+json').send(body);
};

/** Zod issues as problem `errors`: where and what, never the submitted value (it may be a password). */
export const issuesOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

/**
 * For errors thrown before or around a handler (unreadable JSON, wrong content type). Their messages
 * can quote the request body, which may hold a password, so the detail is generic.
 */
export const problemErrorHandler = (
  error: { statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply => {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: safeError(error) }, 'unhandled error');
  const title = STATUS_CODES[status] ?? 'Error';
  return problem(
    reply,
    status,
    title,
    status === 500 ? 'Something went wrong on our side.' : 'The request could not be processed.',
  );
};
