import { z } from 'zod';
import type { ApiRouter } from '../api.js';
import { resourceMissing } from '../apiError.js';
import { list } from '../objects.js';
import { intParam, metadataParam, parseParams } from '../params.js';
import { createRefund } from '../refunds.js';
import type { StandInContext } from '../state.js';

const createSchema = z.strictObject({
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
  amount: intParam.optional(),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadataParam.optional(),
});

const listSchema = z.strictObject({
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
  limit: intParam.optional(),
});

export const refundRoutes = (ctx: StandInContext) => (api: ApiRouter) => {
  // Newest first, as Stripe lists them.
  api.get('/refunds', ({ params }) => {
    const { payment_intent, charge, limit } = parseParams(listSchema, params);
    const refunds = [...ctx.state.refunds.values()]
      .filter(
        (r) => (!payment_intent || r.payment_intent === payment_intent) && (!charge || r.charge === charge),
      )
      .reverse();
    return list('/v1/refunds', refunds.slice(0, limit ?? 10));
  });
  api.post('/refunds', ({ params }) => createRefund(ctx, parseParams(createSchema, params)));
  api.get('/refunds/:id', ({ path }) => {
    const refund = ctx.state.refunds.get(path.id!);
    if (!refund) throw resourceMissing('refund', path.id!);
    return refund;
  });
};
