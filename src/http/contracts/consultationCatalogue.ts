import { z } from 'zod';
import type { Answers, QuestionnaireStep } from '../../domain/consultation/questionnaire.js';
import type { Wire } from './common.js';

/**
 * The UK catalogue (`/api/catalogue…`): what the pharmacy sells online, public. The plan, price and
 * questionnaire shapes are shared with the patient's and the pharmacy's answers.
 */

export const productKind = z.enum(['POM', 'P']);

export const plan = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('one_off') }),
  z.object({ kind: z.literal('instalment'), months: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
]);

export const planPrice = z.object({
  monthlyPence: z.number().int(),
  chargeCount: z.number().int(),
  firstChargePence: z.number().int(),
  totalPence: z.number().int(),
});

/** The wizard's steps as the domain defines them (questions and which answer shows which): sent as they are. */
export const questionnaire = z.object({
  version: z.string(),
  steps: z.array(z.custom<QuestionnaireStep>()).readonly(),
});

/** A patient's answers by question id, as the domain types them. */
export const answers = z.custom<Answers>();

export const offeredPlan = z.intersection(plan, z.object({ price: planPrice }));
export type OfferedPlan = Wire<typeof offeredPlan>;

export const stockLevel = z.enum(['in_stock', 'low', 'out_of_stock', 'unknown']);

export const productSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: productKind,
  coldChain: z.boolean(),
  pricePence: z.number().int(),
  packSize: z.string(),
  available: z.boolean(),
  plans: z.array(offeredPlan),
  gracePeriodExtraMonths: z.number().int(),
  stock: z.object({ onHand: z.number().int().nullable(), level: stockLevel }),
});
export type ProductSummary = Wire<typeof productSummary>;

export const catalogue = z.object({ products: z.array(productSummary) });
export type Catalogue = Wire<typeof catalogue>;

export const productDetail = productSummary.extend({ questionnaire });
export type ProductDetail = Wire<typeof productDetail>;
