import type { FastifyReply, FastifyRequest } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorKind } from '../domain/decider.js';
import { WrongExpectedRevisionError } from '../eventstore/errors.js';
import { VendorRejectedError, VendorUnavailableError } from '../integrations/errors.js';
import { safeError } from '../platform/safeError.js';
import { problem } from './auth/problem.js';
import { contractRefusal } from './validation.js';

/** The one place a refusal's kind becomes an HTTP status and a title. */
const STATUS_BY_KIND: Record<DomainErrorKind, { status: number; title: string }> = {
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Not possible in the current state' },
  gone: { status: 410, title: 'No longer available' },
  forbidden: { status: 403, title: 'Not allowed' },
  invalid: { status: 422, title: 'Request refused' },
};

/** Refusals of an upload that HTTP names more precisely than "invalid". */
const STATUS_BY_CODE: Record<string, number> = {
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
};

const TITLE_BY_CODE: Record<string, string> = {
  LINK_INVALID: 'Link not valid',
  LINK_EXPIRED: 'Link expired',
  LINK_USED: 'Link already used',
  INVALID_STATUS: 'Not possible in the order’s current status',
  DRUG_EXISTS: 'Already in the catalogue',
  PHARMACY_EXISTS: 'Pharmacy already exists',
  DRUG_NOT_FOUND: 'Not in the catalogue',
  PHARMACY_NOT_FOUND: 'Pharmacy not found',
  PRODUCT_NOT_FOUND: 'Product not found',
};

/** How a domain refusal reads over HTTP: its status and title. */
export const statusOfRefusal = (error: DomainError): { status: number; title: string } => {
  const byKind = STATUS_BY_KIND[error.kind];
  return {
    status: STATUS_BY_CODE[error.code] ?? byKind.status,
    title: TITLE_BY_CODE[error.code] ?? byKind.title,
  };
};

/**
 * PostgreSQL's data exceptions (class 22: a value it cannot store or read) and integrity refusals
 * (class 23) are caused by what was sent, so they are the sender's problem, not a 500.
 */
const databaseRefusal = (error: unknown): { status: number; detail: string } | null => {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^2[23][0-9A-Z]{3}$/.test(code)) return null;
  if (code.startsWith('22'))
    return { status: 400, detail: 'The request holds a value that cannot be stored.' };
  return { status: 409, detail: 'The request conflicts with what is already recorded.' };
};

/** A body refused for its size is drained, so the client finishes sending and reads the answer. */
const drainAndClose = (request: FastifyRequest, reply: FastifyReply) => {
  reply.header('connection', 'close');
  if (!request.raw.readableEnded) request.raw.resume();
};

/** Maps typed errors to problem+json; anything unexpected is a 500 that reveals nothing. */
export const sendError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  const refusedByContract = contractRefusal(error, reply);
  if (refusedByContract) return refusedByContract;
  if (error instanceof DomainError) {
    const { status, title } = statusOfRefusal(error);
    return problem(reply, status, title, error.message, {
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
  const refused = databaseRefusal(error);
  if (refused) {
    request.log.warn({ err: safeError(error) }, 'database refused a value from a request');
    return problem(reply, refused.status, 'Bad request', refused.detail);
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) {
    if (status === 413) drainAndClose(request, reply);
    const detail = status === 413 ? 'The request body is too large.' : 'The request could not be processed.';
    return problem(reply, status, status === 413 ? 'Payload too large' : 'Bad request', detail);
  }
  if (error instanceof ResponseSerializationError) {
    // Where the answer broke its contract, never the values: the answer may hold patient data.
    const issues = (error.cause as { issues?: { path: PropertyKey[]; code: string }[] }).issues ?? [];
    request.log.error(
      {
        route: `${error.method} ${error.url}`,
        issues: issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
      },
      'answer refused: it does not fit the route’s response contract',
    );
    return problem(reply, 500, 'Internal Server Error', 'Something went wrong on our side.');
  }
  request.log.error({ err: safeError(error) }, 'unhandled error');
  return problem(reply, 500, 'Internal Server Error', 'Something went wrong on our side.');
};
