import { z } from 'zod';
import type { ApiRouter } from '../api.js';
import { createPaymentIntent, getPaymentIntent } from '../charges.js';
import { list } from '../objects.js';
import { boolParam, currencyParam, intParam, metadataParam, parseParams } from '../params.js';
import type { StandInContext } from '../state.js';

const createSchema = z.strictObject({
  amount: intParam,
  currency: currencyParam,
  customer: z.string().optional(),
  payment_method: z.string().optional(),
  confirm: boolParam.optional(),
  off_session: boolParam.optional(),
  description: z.string().optional(),
  metadata: metadataParam.optional(),
  receipt_email: z.email('Invalid email address').optional(),
  setup_future_usage: z.enum(['off_session', 'on_session']).optional(),
  payment_method_types: z.array(z.literal('card')).optional(),
});

const listSchema = z.strictObject({ customer: z.string().optional(), limit: intParam.optional() });

export const paymentIntentRoutes = (ctx: StandInContext) => (api: ApiRouter) => {
  // Newest first, as Stripe lists them.
  api.get('/payment_intents', ({ params }) => {
    const { customer, limit } = parseParams(listSchema, params);
    const intents = [...ctx.state.paymentIntents.values()]
      .filter((p) => !customer || p.customer === customer)
      .reverse();
    return list('/v1/payment_intents', intents.slice(0, limit ?? 10));
  });
  api.post('/payment_intents', ({ params }) => {
    const { payment_method_types: _types, ...input } = parseParams(createSchema, params);
    return createPaymentIntent(ctx, input);
  });
  api.get('/payment_intents/:id', ({ path }) => getPaymentIntent(ctx, path.id!));
};
