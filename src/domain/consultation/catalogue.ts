import type { PlanLength } from './plan.js';
import type { Questionnaire } from './questionnaire.js';
import { contraceptionQuestionnaire } from './questionnaires/contraception.js';
import { erectileDysfunctionQuestionnaire } from './questionnaires/erectileDysfunction.js';
import { hairLossQuestionnaire } from './questionnaires/hairLoss.js';
import { hayFeverQuestionnaire } from './questionnaires/hayFever.js';
import { periodDelayQuestionnaire } from './questionnaires/periodDelay.js';
import { weightLossQuestionnaire } from './questionnaires/weightLoss.js';

/** POM needs a prescriber and a signed Rx; P needs a pharmacist's logged approval and no Rx. */
export type ProductKind = 'POM' | 'P';

export type Product = {
  id: string;
  name: string;
  kind: ProductKind;
  /** Dispatched chilled; the pharmacy team packs it differently. */
  coldChain: boolean;
  /** One month's supply, in pence. The admin changes it (as events); this is the seed. */
  pricePence: number;
  /** What one month's supply is, as the patient sees it on the product page. */
  packSize: string;
  /** Offered for new consultations; the admin can withdraw a product and offer it again. */
  available: boolean;
  /** Instalment plan lengths on offer; a one-off is offered through `allowsOneOff`. */
  planLengthsMonths: readonly PlanLength[];
  allowsOneOff: boolean;
  allowsInstalments: boolean;
  /** Grace to reorder on existing answers = plan length (0 for a one-off) + this many months. */
  gracePeriodExtraMonths: number;
  /** Units on hand when the catalogue is first seeded; live stock is tracked elsewhere. */
  stock: number;
  lowStockThreshold: number;
  questionnaire: Questionnaire;
};

export const DEFAULT_GRACE_PERIOD_EXTRA_MONTHS = 1;

/** The seed catalogue. Brand names are fictional; classifications follow UK practice. */
export const CATALOGUE: readonly Product[] = [
  {
    id: 'trimora-weekly-pen',
    name: 'Trimora weekly pen (weight-loss injection)',
    kind: 'POM',
    coldChain: true,
    pricePence: 19_900,
    packSize: '4 pre-filled pens (one a week)',
    available: true,
    planLengthsMonths: [1, 2, 3],
    allowsOneOff: true,
    allowsInstalments: true,
    gracePeriodExtraMonths: DEFAULT_GRACE_PERIOD_EXTRA_MONTHS,
    stock: 40,
    lowStockThreshold: 10,
    questionnaire: weightLossQuestionnaire,
  },
  {
    id: 'follimax-finasteride-1mg',
    name: 'Follimax finasteride 1 mg tablets (hair loss)',
    kind: 'POM',
    coldChain: false,
    pricePence: 2_495,
    packSize: '28 tablets',
    available: true,
    planLengthsMonths: [1, 2, 3],
    allowsOneOff: true,
    allowsInstalments: true,
    gracePeriodExtraMonths: DEFAULT_GRACE_PERIOD_EXTRA_MONTHS,
    stock: 120,
    lowStockThreshold: 20,
    questionnaire: hairLossQuestionnaire,
  },
  {
    id: 'vireza-sildenafil-50mg',
    name: 'Vireza sildenafil 50 mg tablets (erectile dysfunction)',
    kind: 'P',
    coldChain: false,
    pricePence: 1_999,
    packSize: '8 tablets',
    available: true,
    planLengthsMonths: [1, 2, 3],
    allowsOneOff: true,
    allowsInstalments: true,
    gracePeriodExtraMonths: DEFAULT_GRACE_PERIOD_EXTRA_MONTHS,
    stock: 200,
    lowStockThreshold: 30,
    questionnaire: erectileDysfunctionQuestionnaire,
  },
  {
    id: 'pollenex-fexofenadine-120mg',
    name: 'Pollenex fexofenadine 120 mg tablets (hay fever)',
    kind: 'P',
    coldChain: false,
    pricePence: 899,
    packSize: '30 tablets',
    available: true,
    planLengthsMonths: [1, 2, 3],
    allowsOneOff: true,
    allowsInstalments: true,
    // Seasonal: a patient coming back next spring should still find their answers.
    gracePeriodExtraMonths: 2,
    stock: 300,
    lowStockThreshold: 50,
    questionnaire: hayFeverQuestionnaire,
  },
  {
    id: 'lunessa-combined-pill',
    name: 'Lunessa combined contraceptive pill',
    kind: 'POM',
    coldChain: false,
    pricePence: 1_299,
    packSize: '3 × 21 tablets',
    available: true,
    // Supplied as three-month packs; no single months.
    planLengthsMonths: [3],
    allowsOneOff: false,
    allowsInstalments: true,
    gracePeriodExtraMonths: DEFAULT_GRACE_PERIOD_EXTRA_MONTHS,
    stock: 150,
    lowStockThreshold: 25,
    questionnaire: contraceptionQuestionnaire,
  },
  {
    id: 'delayra-norethisterone-5mg',
    name: 'Delayra norethisterone 5 mg tablets (period delay)',
    kind: 'POM',
    coldChain: false,
    pricePence: 2_450,
    packSize: '30 tablets',
    available: true,
    // A course for one event, never a standing plan.
    planLengthsMonths: [],
    allowsOneOff: true,
    allowsInstalments: false,
    gracePeriodExtraMonths: DEFAULT_GRACE_PERIOD_EXTRA_MONTHS,
    stock: 80,
    lowStockThreshold: 15,
    questionnaire: periodDelayQuestionnaire,
  },
];

export const findProduct = (productId: string): Product | undefined =>
  CATALOGUE.find((product) => product.id === productId);

/** At or under the threshold the pharmacy wants a low-stock alert; at zero dispatch is blocked. */
export const isLowStock = (product: Pick<Product, 'lowStockThreshold'>, stockOnHand: number): boolean =>
  stockOnHand <= product.lowStockThreshold;
