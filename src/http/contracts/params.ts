import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * A route's path parameters, each a string as matched: routes look the value up and answer 404 for
 * one they do not know, so the contract only names them (for the OpenAPI document and the types).
 */
export const pathParams = <const Name extends string>(...names: Name[]) =>
  z.object(Object.fromEntries(names.map((name) => [name, z.string()])) as Record<Name, z.ZodString>);

/** A request to a route under `…/:id`, for helpers shared by such routes. */
export type RequestWithId = FastifyRequest & { params: { id: string } };
