import { z } from 'zod';
import type { ApiRouter } from '../api.js';
import { createCheckoutSession, expireCheckoutSession, getCheckoutSession } from '../checkout.js';
import { currencyParam, intParam, metadataParam, parseParams } from '../params.js';
import type { StandInContext } from '../state.js';

/** The parameters of `POST /v1/checkout/sessions` the stand-in models; any other is refused as Stripe does. */
const createSchema = z.strictObject({
  mode: z.enum(['payment', 'setup'], 'Invalid mode: must be one of payment or setup'),
  success_url: z.url('Not a valid URL'),
  cancel_url: z.url('Not a valid URL').optional(),
  currency: currencyParam.optional(),
  line_items: z
    .array(
      z.strictObject({
        quantity: intParam,
        price_data: z.strictObject({
          currency: currencyParam,
          unit_amount: intParam,
          product_data: z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
        }),
      }),
    )
    .optional(),
  customer: z.string().optional(),
  customer_email: z.email('Invalid email address').optional(),
  customer_creation: z.enum(['always', 'if_required']).optional(),
  client_reference_id: z.string().max(200).optional(),
  metadata: metadataParam.optional(),
  expires_at: intParam.optional(),
  payment_intent_data: z
    .strictObject({
      description: z.string().optional(),
      metadata: metadataParam.optional(),
      setup_future_usage: z.enum(['off_session', 'on_session']).optional(),
    })
    .optional(),
  expand: z.array(z.string()).optional(),
});

export const checkoutSessionRoutes = (ctx: StandInContext) => (api: ApiRouter) => {
  api.post('/checkout/sessions', ({ params }) => {
    const { expand: _expand, ...input } = parseParams(createSchema, params);
    return createCheckoutSession(ctx, input);
  });
  api.get('/checkout/sessions/:id', ({ path }) => getCheckoutSession(ctx, path.id!));
  api.post('/checkout/sessions/:id/expire', ({ path }) => expireCheckoutSession(ctx, path.id!));
};
