import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Brand } from '../../platform/brand.js';

/**
 * The pharmacy's names for the web app, before anyone signs in: the sign-in page, the patients'
 * pages and every page title carry them. Public, as they are on every page and e-mail anyway.
 */
export const brandRoutes: FastifyPluginAsync<{ brand: Brand }> = async (app, { brand }) => {
  app.get(
    '/api/brand',
    {
      config: { access: { kind: 'public' }, phiRead: false },
      schema: {
        tags: ['web'],
        summary: "The pharmacy's brand, and the US and UK businesses' names",
        response: {
          200: z.object({ name: z.string(), us: z.string(), uk: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return brand;
    },
  );
};
