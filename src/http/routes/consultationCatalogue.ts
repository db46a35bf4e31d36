import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CATALOGUE, findProduct, isLowStock, type Product } from '../../domain/consultation/catalogue.js';
import { type Plan, priceOf } from '../../domain/consultation/plan.js';
import { withTerms } from '../../domain/consultation/productTerms.js';
import type { SqlPool } from '../../platform/sql.js';
import { loadProductTerms } from '../../projections/consultations/productTermsProjection.js';
import { onHandByProduct } from '../../projections/consultations/stockQueries.js';
import { problem } from '../auth/problem.js';
import { catalogue, productDetail } from '../contracts/consultationCatalogue.js';
import { pathParams } from '../contracts/params.js';

/** The plans a product is offered on, each with what it costs, in pence. */
const plansOf = (product: Product) => {
  const plans: Plan[] = [
    ...(product.allowsOneOff ? [{ kind: 'one_off' } as const] : []),
    ...(product.allowsInstalments
      ? product.planLengthsMonths.map((months) => ({ kind: 'instalment', months }) as const)
      : []),
  ];
  return plans.map((plan) => ({ ...plan, price: priceOf(product, plan) }));
};

const stockStatus = (product: Product, onHand: number | undefined) => {
  if (onHand === undefined) return { onHand: null, level: 'unknown' as const };
  return {
    onHand,
    level:
      onHand < 1
        ? ('out_of_stock' as const)
        : isLowStock(product, onHand)
          ? ('low' as const)
          : ('in_stock' as const),
  };
};

const summaryOf = (product: Product, onHand: number | undefined) => ({
  id: product.id,
  name: product.name,
  kind: product.kind,
  coldChain: product.coldChain,
  pricePence: product.pricePence,
  packSize: product.packSize,
  available: product.available,
  plans: plansOf(product),
  gracePeriodExtraMonths: product.gracePeriodExtraMonths,
  stock: stockStatus(product, onHand),
});

/**
 * Phase 1: what the pharmacy sells online. Public: no patient data. The questionnaire is sent as
 * the wizard needs it (steps, questions, which answer shows which question); the auto-deny rules
 * never leave the server.
 */
export const consultationCatalogueRoutes: FastifyPluginAsyncZod<{ pool: SqlPool }> = async (
  app,
  { pool },
) => {
  app.get(
    '/api/catalogue',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags: ['consultation: catalogue'],
        summary: 'Products (POM or P), plans, prices in pence, stock',
        response: { 200: catalogue },
      },
    },
    async () => {
      const [onHand, terms] = await Promise.all([onHandByProduct(pool), loadProductTerms(pool)]);
      return {
        products: CATALOGUE.map((seed) => {
          const product = withTerms(seed, terms.get(seed.id) ?? null);
          return summaryOf(product, onHand.get(product.id));
        }),
      };
    },
  );

  app.get(
    '/api/catalogue/:productId',
    {
      config: { access: { kind: 'public' } },
      schema: {
        params: pathParams('productId'),
        tags: ['consultation: catalogue'],
        summary: 'One product with its questionnaire (steps and questions)',
        response: { 200: productDetail },
      },
    },
    async (request, reply) => {
      const seed = findProduct(request.params.productId);
      if (!seed) return problem(reply, 404, 'Not found', `There is no product ${request.params.productId}.`);
      const [onHand, terms] = await Promise.all([onHandByProduct(pool), loadProductTerms(pool)]);
      const product = withTerms(seed, terms.get(seed.id) ?? null);
      return {
        ...summaryOf(product, onHand.get(product.id)),
        questionnaire: { version: product.questionnaire.version, steps: product.questionnaire.steps },
      };
    },
  );
};
