export type DrugProfile = {
  ndc11: string;
  name: string | null;
  isSpecialty: boolean;
  requiresColdChain: boolean;
  /** The drug family a pharmacy needs manufacturer access for, or null when distribution is open. */
  limitedDistribution: string | null;
};

type Entry = Omit<DrugProfile, 'ndc11'>;

/**
 * A handful of products the routing flow meets in development and tests. Labeler prefixes are the
 * manufacturers'; product and package segments are illustrative — this is not a drug database.
 */
const PROFILES: Readonly<Record<string, Entry>> = {
  '00074055402': {
    name: 'adalimumab 40 mg/0.4 mL pen',
    isSpecialty: true,
    requiresColdChain: true,
    limitedDistribution: null,
  },
  '58406044504': {
    name: 'etanercept 50 mg/mL autoinjector',
    isSpecialty: true,
    requiresColdChain: true,
    limitedDistribution: null,
  },
  '57894006103': {
    name: 'ustekinumab 45 mg/0.5 mL syringe',
    isSpecialty: true,
    requiresColdChain: true,
    limitedDistribution: null,
  },
  '61958180101': {
    name: 'ledipasvir/sofosbuvir 90/400 mg tablet',
    isSpecialty: true,
    requiresColdChain: false,
    limitedDistribution: null,
  },
  '59572041028': {
    name: 'lenalidomide 10 mg capsule',
    isSpecialty: true,
    requiresColdChain: false,
    limitedDistribution: 'lenalidomide',
  },
  '61958080101': {
    name: 'ambrisentan 5 mg tablet',
    isSpecialty: true,
    requiresColdChain: false,
    limitedDistribution: 'ambrisentan',
  },
  '00088222033': {
    name: 'insulin glargine 100 units/mL vial',
    isSpecialty: false,
    requiresColdChain: true,
    limitedDistribution: null,
  },
};

/** The drug families some manufacturer restricts to named pharmacies. */
export const LIMITED_DISTRIBUTION_FAMILIES: readonly string[] = ['lenalidomide', 'ambrisentan'];

/**
 * Turns the 10-digit labelled forms (4-4-2, 5-3-2, 5-4-1, with hyphens) and 5-4-2 into the 11-digit
 * billing form by zero-padding the short segment; null when the code has no NDC shape.
 */
export const toNdc11 = (code: string): string | null => {
  const trimmed = code.trim();
  if (/^\d{11}$/.test(trimmed)) return trimmed;
  const match = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/.exec(trimmed);
  if (!match) return null;
  const [, labeler = '', product = '', pack = ''] = match;
  if (labeler.length + product.length + pack.length < 10) return null;
  const ndc = `${labeler.padStart(5, '0')}${product.padStart(4, '0')}${pack.padStart(2, '0')}`;
  return ndc.length === 11 ? ndc : null;
};

/** What routing must honour for a drug. An unknown NDC is treated as an ordinary retail product. */
export const drugProfile = (ndc11: string): DrugProfile => {
  const ndc = toNdc11(ndc11) ?? ndc11;
  const entry = PROFILES[ndc];
  return entry
    ? { ndc11: ndc, ...entry }
    : { ndc11: ndc, name: null, isSpecialty: false, requiresColdChain: false, limitedDistribution: null };
};
