import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/decider.js';
import { WrongExpectedRevisionError } from '../eventstore/errors.js';
import { VendorRejectedError, VendorUnavailableError } from '../integrations/errors.js';
import { problem } from './auth/problem.js';

/** How each refusal of the domain reads over HTTP. Anything not listed is 422 Unprocessable. */
const STATUS_BY_CODE: Record<string, number> = {
  ORDER_NOT_FOUND: 404,
  LINK_INVALID: 404,
  LINK_EXPIRED: 410,
  LINK_USED: 410,
  INVALID_STATUS: 409,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
};

const TITLE_BY_CODE: Record<string, string> = {
  LINK_INVALID: 'Link not valid',
  LINK_EXPIRED: 'Link expired',
  LINK_USED: 'Link already used',
  INVALID_STATUS: 'Not possible in the order’s current status',
};

/** Maps typed errors to problem+json; anything unexpected is a 500 that reveals nothing. */
export const sendError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code] ?? 422;
    return problem(reply, status, TITLE_BY_CODE[error.code] ?? 'Request refused', error.message, {
      code: error.code,
      ...(error.details !== undefined ? { details: error.details } : {}),
    });
  }
  if (error instanceof WrongExpectedRevisionError) {
    return problem(
      reply,
      409,
      'Concurrent change',
      'The order changed while this request was handled; try again.',
    );
  }
  if (error instanceof VendorUnavailableError) {
    reply.header('retry-after', '30');
    return problem(
      reply,
      503,
      'Service temporarily unavailable',
      `${error.vendor} is not reachable right now; try again shortly.`,
    );
  }
  if (error instanceof VendorRejectedError) {
    return problem(
      reply,
      502,
      'Refused by a partner service',
      `${error.vendor} refused the request (${error.code}).`,
    );
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) {
    const detail = status === 413 ? 'The request body is too large.' : 'The request could not be processed.';
    return problem(reply, status, status === 413 ? 'Payload too large' : 'Bad request', detail);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problem(reply, 500, 'Internal Server Error', 'Something went wrong on our side.');
};
