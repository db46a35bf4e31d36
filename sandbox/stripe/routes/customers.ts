import { z } from 'zod';
import type { ApiRouter } from '../api.js';
import { resourceMissing } from '../apiError.js';
import {
  attachPaymentMethod,
  cardsOf,
  createCustomer,
  getCustomer,
  resolvePaymentMethod,
} from '../customers.js';
import { list } from '../objects.js';
import { intParam, metadataParam, parseParams } from '../params.js';
import type { StandInContext } from '../state.js';

const createSchema = z.strictObject({
  email: z.email('Invalid email address').optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  phone: z.string().optional(),
  metadata: metadataParam.optional(),
});

const attachSchema = z.strictObject({ customer: z.string() });

const listSchema = z.strictObject({
  customer: z.string().optional(),
  type: z.literal('card', 'Invalid type: the stand-in only keeps cards').optional(),
  limit: intParam.optional(),
});

/** Customers and the cards saved on them. */
export const customerRoutes = (ctx: StandInContext) => (api: ApiRouter) => {
  api.post('/customers', ({ params }) => createCustomer(ctx, parseParams(createSchema, params)));
  api.get('/customers/:id', ({ path }) => getCustomer(ctx, path.id!));
  api.post('/payment_methods/:id/attach', ({ params, path }) => {
    const { customer } = parseParams(attachSchema, params);
    return attachPaymentMethod(ctx, resolvePaymentMethod(ctx, path.id!, 'payment_method'), customer);
  });
  api.get('/payment_methods/:id', ({ path }) => {
    const paymentMethod = ctx.state.paymentMethods.get(path.id!);
    if (!paymentMethod) throw resourceMissing('PaymentMethod', path.id!);
    return paymentMethod;
  });
  api.get('/payment_methods', ({ params }) => {
    const { customer, limit } = parseParams(listSchema, params);
    const methods = customer
      ? cardsOf(ctx, getCustomer(ctx, customer, 'customer').id)
      : [...ctx.state.paymentMethods.values()].filter((method) => method.customer !== null).reverse();
    return list('/v1/payment_methods', methods.slice(0, limit ?? 10));
  });
};
