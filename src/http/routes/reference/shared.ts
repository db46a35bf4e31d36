import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/** Staff who read the reference data: it holds no patient data. */
export const REFERENCE_READERS = ['ops', 'pharmacist', 'auditor', 'admin'] as const;

/** One line of text a person typed: no control characters (NUL included), bounded. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const optionalText = (max: number) =>
  text(max)
    .nullable()
    .optional()
    .transform((value) => (value === '' ? null : value));

export const reasonText = text(500).pipe(z.string().min(3, 'say briefly why (at least 3 characters)'));

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

export const actorOf = (request: FastifyRequest) => ({
  actor: `staff:${request.staff!.id}`,
  correlationId: request.id,
});
