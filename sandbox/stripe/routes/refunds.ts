import { z } from 'zod';
import type { ApiRouter } from '../api.js';
import { resourceMissing } from '../apiError.js';
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

export const refundRoutes = (ctx: StandInContext) => (api: ApiRouter) => {
  api.post('/refunds', ({ params }) => createRefund(ctx, parseParams(createSchema, params)));
  api.get('/refunds/:id', ({ path }) => {
    const refund = ctx.state.refunds.get(path.id!);
    if (!refund) throw resourceMissing('refund', path.id!);
    return refund;
  });
};
