import type { PostalAddress } from '../../domain/consultation/account.js';
import type { ProductSnapshot } from '../../domain/consultation/consultationEvents.js';

/**
 * What goes on the prescription, the PMR order, the dispensing slip and the GP letter for each
 * catalogue product: its strength and the patient's directions. One pack is one month's supply.
 */
const LABELS: Record<string, { strength: string; directions: string }> = {
  'trimora-weekly-pen': {
    strength: '2.5 mg/0.5 ml pre-filled pen',
    directions: 'Inject 2.5 mg under the skin once a week, on the same day each week.',
  },
  'follimax-finasteride-1mg': { strength: '1 mg', directions: 'Take one tablet once a day.' },
  'vireza-sildenafil-50mg': {
    strength: '50 mg',
    directions: 'Take one tablet about one hour before sexual activity. No more than one tablet a day.',
  },
  'pollenex-fexofenadine-120mg': { strength: '120 mg', directions: 'Take one tablet once a day.' },
  'lunessa-combined-pill': {
    strength: '30 micrograms/150 micrograms',
    directions: 'Take one tablet daily for 21 days, then stop for 7 days.',
  },
  'delayra-norethisterone-5mg': {
    strength: '5 mg',
    directions: 'Take one tablet three times a day, starting three days before your period is due.',
  },
};

export const labelOf = (product: Pick<ProductSnapshot, 'productId'>) =>
  LABELS[product.productId] ?? { strength: 'as supplied', directions: 'Use as directed by the pharmacist.' };

/** The items of one supply (or, for a whole-plan prescription, `packs` months of it). */
export const supplyItems = (product: ProductSnapshot, packs: number) => {
  const label = labelOf(product);
  return [
    {
      productName: product.name,
      dosage: label.strength,
      quantity: packs,
      instructions: label.directions,
    },
  ];
};

export const addressLines = (address: PostalAddress) =>
  [address.line1, address.line2, address.town, address.postcode].filter((line): line is string =>
    Boolean(line),
  );

/** "Riverside Surgery, 1 Mill Lane, Leeds" → the practice's name and the lines of its address. */
export const gpPracticeOf = (answer: unknown) => {
  const parts = String(answer ?? '')
    .split(/,|\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return { name: parts[0] ?? 'The GP practice', address: parts.slice(1) };
};
