import { z } from 'zod';
import type { ApiRouter } from '../api.js';
import { createPaymentIntent, getPaymentIntent } from '../charges.js';
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

export const paymentIntentRoutes = (ctx: StandInContext) => (api: ApiRouter) => {
  api.post('/payment_intents', ({ params }) => {
    const { payment_method_types: _types, ...input } = parseParams(createSchema, params);
    return createPaymentIntent(ctx, input);
  });
  api.get('/payment_intents/:id', ({ path }) => getPaymentIntent(ctx, path.id!));
};
