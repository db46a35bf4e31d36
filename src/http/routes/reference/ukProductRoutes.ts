import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { UkProducts } from '../../../commands/catalogue/ukProducts.js';
import { MAX_PRICE_PENCE } from '../../../domain/consultation/productTerms.js';
import { pathParams } from '../../contracts/params.js';
import { sendError } from '../../errors.js';
import { actorOf, reasonText, text } from './shared.js';

const termsBody = z.object({
  pricePence: z.number().int().min(1).max(MAX_PRICE_PENCE).optional(),
  packSize: text(80).pipe(z.string().min(1)).optional(),
  available: z.boolean().optional(),
  reason: reasonText,
});

/** The UK product catalogue's terms, admin only; a consultation already priced keeps its price. */
export const ukProductRoutes: FastifyPluginAsyncZod<{ products: UkProducts }> = async (app, { products }) => {
  const admin = { preHandler: app.requireRoles('admin') };
  const tags = ['reference data: UK products'];
  const view = (product: Awaited<ReturnType<UkProducts['all']>>[number]) => ({
    id: product.id,
    name: product.name,
    kind: product.kind,
    coldChain: product.coldChain,
    pricePence: product.pricePence,
    packSize: product.packSize,
    available: product.available,
    questionnaireVersion: product.questionnaire.version,
  });

  app.get(
    '/api/reference/uk-products',
    {
      ...admin,
      schema: { tags, summary: 'UK products with their current price, pack size and availability' },
    },
    async () => ({ items: (await products.all()).map(view) }),
  );

  app.put(
    '/api/reference/uk-products/:id',
    {
      ...admin,
      schema: {
        params: pathParams('id'),
        tags,
        summary: 'Change price, pack size or availability',
        body: termsBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { reason, ...terms } = body;
      try {
        const result = await products.change(request.params.id, terms, reason, actorOf(request));
        const product = await products.current(request.params.id);
        return { product: product && view(product), changed: result.events.length > 0 };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );
};
