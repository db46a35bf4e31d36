import { type FastifyPluginAsyncZod, serializerCompiler } from 'fastify-type-provider-zod';
import { staffDirectory } from '../../projections/staffDirectoryQueries.js';
import { staffDirectoryList } from '../contracts/staff.js';
import type { AuthRoutesOptions } from './authRoutes.js';

/**
 * The staff directory: the name behind every `staff:<id>` actor, so histories, the auditor's replay
 * and exports show who did something rather than an id. Any signed-in staff member may read it; it
 * holds names only, no e-mail addresses or roles.
 */
export const staffDirectoryRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (fastify, { pool }) => {
  fastify.setSerializerCompiler(serializerCompiler);
  fastify.get(
    '/api/staff/directory',
    {
      preHandler: fastify.requireRoles(),
      schema: {
        tags: ['staff'],
        summary: 'Every staff member’s id and name, for showing who did what',
        response: { 200: staffDirectoryList },
      },
    },
    async () => ({ staff: await staffDirectory(pool) }),
  );
};
