import type { StorageClass } from '../../src/domain/catalogue/drug.js';

/**
 * The drugs of the sandbox world, shared by every stand-in so they speak one vocabulary: the
 * drug-catalogue seed classifies them, the payer stand-in prices them, the demo prescribes them.
 * NDCs are the 11-digit billing form of package codes in the FDA NDC Directory sample
 * (test/fixtures/fda-ndc/); prices and coupon terms are illustrative, in the right order of
 * magnitude, and are not any manufacturer's or payer's actual terms.
 */
export type SampleDrug = {
  ndc11: string;
  name: string;
  /** The pharmacist's classification the sandbox seed records for it. */
  storageClass: StorageClass;
  specialty: boolean;
  limitedDistribution: string | null;
  rems: boolean;
  /** What the payer stand-in charges per NCPDP billing unit (each pen or tablet, or millilitre). */
  pricing?: { billingUnit: 'EA' | 'ML'; unitPriceMinor: number };
  /**
   * False for a product the directory sample leaves out (launched after the file was cut): the
   * catalogue meets it as an unknown NDC, and a pharmacist adds it while classifying it.
   */
  inDirectorySample: boolean;
  /** How the demo's prescribers write it; absent for drugs the demo never prescribes. */
  prescription?: { description: string; quantity: string; days: string; sig: string };
};

const specialty = { specialty: true, limitedDistribution: null, rems: false, inDirectorySample: true };
const each = (unitPriceMinor: number) => ({ billingUnit: 'EA' as const, unitPriceMinor });

export const SAMPLE_DRUGS = {
  humiraPen40mg: {
    ...specialty,
    ndc11: '00074055402',
    name: 'Humira Pen 40 mg/0.4 mL',
    storageClass: 'refrigerated',
    pricing: each(346_139),
    prescription: {
      description: 'adalimumab 40 mg/0.4 mL subcutaneous pen injector',
      quantity: '2',
      days: '28',
      sig: 'Inject 40 mg under the skin every other week',
    },
  },
  stelara45mgSyringe: {
    ...specialty,
    ndc11: '57894006003',
    name: 'Stelara 45 mg/0.5 mL syringe',
    storageClass: 'refrigerated',
    pricing: { billingUnit: 'ML', unitPriceMinor: 2_767_200 },
    prescription: {
      description: 'ustekinumab 45 mg/0.5 mL prefilled syringe',
      quantity: '1',
      days: '84',
      sig: 'Inject 45 mg under the skin every 12 weeks',
    },
  },
  enbrelSureClick50mg: {
    ...specialty,
    ndc11: '58406044504',
    name: 'Enbrel SureClick 50 mg/mL',
    storageClass: 'refrigerated',
    pricing: each(190_000),
    prescription: {
      description: 'etanercept 50 mg/mL SureClick autoinjector',
      quantity: '4',
      days: '28',
      sig: 'Inject 50 mg under the skin once weekly',
    },
  },
  skyriziPen150mg: {
    ...specialty,
    ndc11: '00074210001',
    name: 'Skyrizi 150 mg/mL pen',
    storageClass: 'refrigerated',
    pricing: each(2_100_000),
  },
  taltzAutoinjector80mg: {
    ...specialty,
    ndc11: '00002144511',
    name: 'Taltz 80 mg/mL autoinjector',
    storageClass: 'refrigerated',
    pricing: each(700_000),
  },
  harvoni90_400mg: {
    ...specialty,
    ndc11: '61958180101',
    name: 'Harvoni 90 mg/400 mg tablet',
    storageClass: 'ambient',
    pricing: each(112_500),
  },
  epclusa400_100mg: {
    ...specialty,
    ndc11: '61958220101',
    name: 'Epclusa 400 mg/100 mg tablet',
    storageClass: 'ambient',
    pricing: each(89_036),
  },
  biktarvy: {
    ...specialty,
    ndc11: '61958250101',
    name: 'Biktarvy 50/200/25 mg tablet',
    storageClass: 'ambient',
    pricing: each(13_000),
    prescription: {
      description: 'bictegravir/emtricitabine/tenofovir alafenamide tablet',
      quantity: '30',
      days: '30',
      sig: 'Take 1 tablet by mouth once daily',
    },
  },
  revlimid10mg: {
    ...specialty,
    ndc11: '59572041028',
    name: 'Revlimid 10 mg capsule',
    storageClass: 'ambient',
    limitedDistribution: 'lenalidomide',
    rems: true,
    pricing: each(90_000),
  },
  xeljanz5mg: {
    ...specialty,
    ndc11: '00069100101',
    name: 'Xeljanz 5 mg tablet',
    storageClass: 'ambient',
    pricing: each(9_950),
    prescription: {
      description: 'tofacitinib 5 mg tablet',
      quantity: '60',
      days: '30',
      sig: 'Take 1 tablet by mouth twice daily',
    },
  },
  otezla30mg: {
    ...specialty,
    ndc11: '55513013760',
    name: 'Otezla 30 mg tablet',
    storageClass: 'ambient',
    pricing: each(8_000),
    prescription: {
      description: 'apremilast 30 mg tablet',
      quantity: '60',
      days: '30',
      sig: 'Take 1 tablet by mouth twice daily',
    },
  },
  rinvoq15mg: {
    ...specialty,
    ndc11: '00074230630',
    name: 'Rinvoq 15 mg extended-release tablet',
    storageClass: 'ambient',
    pricing: each(21_500),
  },
  gilenya0_5mg: {
    ...specialty,
    ndc11: '00078060715',
    name: 'Gilenya 0.5 mg capsule',
    storageClass: 'ambient',
    pricing: each(33_000),
  },
  imbruvica140mg: {
    ...specialty,
    ndc11: '57962014009',
    name: 'Imbruvica 140 mg capsule',
    storageClass: 'ambient',
    pricing: each(23_000),
  },
  letairis5mg: {
    ...specialty,
    ndc11: '61958080101',
    name: 'Letairis 5 mg tablet',
    storageClass: 'ambient',
    limitedDistribution: 'ambrisentan',
    rems: true,
  },
  lantusVial: {
    ...specialty,
    specialty: false,
    ndc11: '00088222033',
    name: 'Lantus 100 units/mL vial',
    storageClass: 'refrigerated',
  },
  varivaxVial: {
    ...specialty,
    specialty: false,
    ndc11: '00006482700',
    name: 'Varivax vaccine, single-dose vial',
    storageClass: 'frozen',
    pricing: each(16_500),
    prescription: {
      description: 'varicella virus vaccine live, single-dose vial',
      quantity: '1',
      days: '1',
      sig: 'Inject 0.5 mL under the skin once; give within 30 minutes of reconstitution',
    },
  },
  cosentyxPen150mg: {
    ...specialty,
    ndc11: '00078063941',
    name: 'Cosentyx Sensoready 150 mg/mL pen',
    storageClass: 'refrigerated',
    pricing: each(650_000),
    inDirectorySample: false,
  },
} as const satisfies Record<string, SampleDrug>;

export type SampleDrugKey = keyof typeof SAMPLE_DRUGS;

/** NDC-11 by name, for formularies and coupons that speak of a product by what it is. */
export const SPECIALTY_NDCS = Object.fromEntries(
  Object.entries(SAMPLE_DRUGS).map(([key, drug]) => [key, drug.ndc11]),
) as { readonly [K in SampleDrugKey]: (typeof SAMPLE_DRUGS)[K]['ndc11'] };

export type SpecialtyNdc = (typeof SPECIALTY_NDCS)[SampleDrugKey];

export const sampleDrugByNdc = (ndc11: string): SampleDrug | undefined =>
  (Object.values(SAMPLE_DRUGS) as SampleDrug[]).find((drug) => drug.ndc11 === ndc11);

/** What the payer stand-in prices a drug by. */
export type Drug = {
  ndc11: string;
  name: string;
  /** NCPDP billing unit the quantity is counted in: each (pen, tablet) or millilitre. */
  billingUnit: 'EA' | 'ML';
  unitPriceMinor: number;
  /** Must ship refrigerated or frozen. */
  coldChain: boolean;
};

/** The payer's price list: every sample drug it prices. */
export const DRUGS: Readonly<Record<string, Drug>> = Object.fromEntries(
  (Object.values(SAMPLE_DRUGS) as SampleDrug[]).flatMap((drug) =>
    drug.pricing
      ? [
          [
            drug.ndc11,
            {
              ndc11: drug.ndc11,
              name: drug.name,
              billingUnit: drug.pricing.billingUnit,
              unitPriceMinor: drug.pricing.unitPriceMinor,
              coldChain: drug.storageClass !== 'ambient',
            },
          ],
        ]
      : [],
  ),
);

const N = SPECIALTY_NDCS;

/**
 * A manufacturer copay card. Federal anti-kickback rules bar these from Medicare and Medicaid
 * claims, so the payer applies them to commercial plans only.
 */
export type CouponProgram = {
  id: string;
  name: string;
  ndc11s: readonly string[];
  /** What the patient still pays per fill ("pay as little as $5"). */
  patientMinimumMinor: number;
  perFillCapMinor: number;
  /** Per member and calendar year. */
  annualCapMinor: number;
};

export const COUPON_PROGRAMS: readonly CouponProgram[] = [
  {
    id: 'humira-complete',
    name: 'Humira Complete Savings Card',
    ndc11s: [N.humiraPen40mg],
    patientMinimumMinor: 500,
    perFillCapMinor: 150_000,
    annualCapMinor: 400_000,
  },
  {
    id: 'stelara-withme',
    name: 'Stelara withMe Savings Program',
    ndc11s: [N.stelara45mgSyringe],
    patientMinimumMinor: 500,
    perFillCapMinor: 500_000,
    annualCapMinor: 2_000_000,
  },
  {
    id: 'enbrel-copay',
    name: 'Enbrel Co-Pay Card',
    ndc11s: [N.enbrelSureClick50mg],
    patientMinimumMinor: 500,
    perFillCapMinor: 250_000,
    annualCapMinor: 1_500_000,
  },
  {
    id: 'otezla-savings',
    name: 'Otezla Co-Pay Program',
    ndc11s: [N.otezla30mg],
    patientMinimumMinor: 0,
    perFillCapMinor: 100_000,
    annualCapMinor: 1_400_000,
  },
  {
    id: 'xeljanz-savings',
    name: 'Xeljanz Co-Pay Savings Card',
    ndc11s: [N.xeljanz5mg],
    patientMinimumMinor: 0,
    perFillCapMinor: 150_000,
    annualCapMinor: 1_500_000,
  },
];
