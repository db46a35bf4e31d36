import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { issuesOf, problem } from './auth/problem.js';

/** JSON Schema for the OpenAPI document, from the same zod schema that validates the request. */
export const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object;

/** Parses with zod; on failure answers 400 problem+json listing every problem and returns undefined. */
export const parseOr400 = <T>(
  schema: z.ZodType<T>,
  value: unknown,
  reply: FastifyReply,
  what = 'body',
): T | undefined => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  problem(
    reply,
    400,
    `Invalid request ${what}`,
    `The request ${what} has ${parsed.error.issues.length} problem(s).`,
    {
      errors: issuesOf(parsed.error.issues),
    },
  );
  return undefined;
};
