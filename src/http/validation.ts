import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSingleEmailAddress, MAX_EMAIL_LENGTH } from '../domain/emailAddress.js';
import { type PhoneCountry, smsNumber } from '../domain/phoneNumber.js';
import { problem } from './auth/problem.js';

/**
 * Requests are parsed by their route's zod schema before the handler runs (the handler sees the
 * parsed, defaulted value), and every answer with a response schema is checked against it: one that
 * does not match is never sent.
 */
export const registerContracts = (app: FastifyInstance) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
};

const PART_NAMES: Record<string, string> = { querystring: 'query', params: 'path', headers: 'headers' };

/**
 * A request refused by its contract, as problem+json listing every problem: where and what, never the
 * submitted value (it may be a password or a patient's details). Null for any other error.
 */
export const contractRefusal = (error: unknown, reply: FastifyReply): FastifyReply | null => {
  if (!hasZodFastifySchemaValidationErrors(error)) return null;
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  const what = PART_NAMES[context] ?? 'body';
  const errors = error.validation.map((issue) => ({
    path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
    message: issue.message,
  }));
  return problem(
    reply,
    400,
    `Invalid request ${what}`,
    `The request ${what} has ${errors.length} problem(s).`,
    {
      errors,
    },
  );
};

/**
 * Ops actions without anything to say (complete, a retry) may be posted with no body at all: their
 * contract then reads it as the empty object it means.
 */
export const absentBodyIsEmpty = async (request: FastifyRequest) => {
  request.body ??= {};
};

/** One e-mail address (never a list, a display name or a header): what every route accepts. */
export const emailAddress = z
  .string()
  .trim()
  .max(MAX_EMAIL_LENGTH)
  .refine(isSingleEmailAddress, { message: 'one e-mail address, as name@domain' });

/** A mobile number the patient wants texts on, as typed; parsed into E.164 or refused with why. */
export const smsPhoneNumber = (country: PhoneCountry) =>
  z
    .string()
    .max(64)
    .transform((value, context) => {
      const result = smsNumber(value, country);
      if (result.ok) return result.e164;
      context.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    });
