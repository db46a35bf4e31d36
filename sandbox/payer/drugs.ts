/**
 * Specialty drugs the sandbox payer prices, by 11-digit NDC (5-4-2, no dashes). The package codes
 * follow the FDA NDC directory as recalled when written; prices and coupon terms are illustrative,
 * in the right order of magnitude, and are not any manufacturer's or payer's actual terms.
 */
export const SPECIALTY_NDCS = {
  humiraPen40mg: '00074055402',
  stelara45mgSyringe: '57894006003',
  enbrelSureClick50mg: '58406044504',
  skyriziPen150mg: '00074210001',
  taltzAutoinjector80mg: '00002144511',
  harvoni90_400mg: '61958180101',
  epclusa400_100mg: '61958220101',
  biktarvy: '61958250101',
  revlimid10mg: '59572041028',
  xeljanz5mg: '00069100101',
  otezla30mg: '55513013760',
  rinvoq15mg: '00074230630',
  gilenya0_5mg: '00078060715',
  imbruvica140mg: '57962014009',
} as const;

export type SpecialtyNdc = (typeof SPECIALTY_NDCS)[keyof typeof SPECIALTY_NDCS];

export type Drug = {
  ndc11: string;
  name: string;
  /** NCPDP billing unit the quantity is counted in: each (pen, tablet) or millilitre. */
  billingUnit: 'EA' | 'ML';
  unitPriceMinor: number;
  /** Must ship refrigerated (2–8 °C). */
  coldChain: boolean;
};

const N = SPECIALTY_NDCS;

const drug = (
  ndc11: string,
  name: string,
  billingUnit: Drug['billingUnit'],
  unitPriceMinor: number,
  coldChain: boolean,
) => [ndc11, { ndc11, name, billingUnit, unitPriceMinor, coldChain }] as const;

export const DRUGS: Readonly<Record<string, Drug>> = Object.fromEntries([
  drug(N.humiraPen40mg, 'Humira Pen 40 mg/0.4 mL', 'EA', 346_139, true),
  drug(N.stelara45mgSyringe, 'Stelara 45 mg/0.5 mL syringe', 'ML', 2_767_200, true),
  drug(N.enbrelSureClick50mg, 'Enbrel SureClick 50 mg/mL', 'EA', 190_000, true),
  drug(N.skyriziPen150mg, 'Skyrizi 150 mg/mL pen', 'EA', 2_100_000, true),
  drug(N.taltzAutoinjector80mg, 'Taltz 80 mg/mL autoinjector', 'EA', 700_000, true),
  drug(N.harvoni90_400mg, 'Harvoni 90 mg/400 mg tablet', 'EA', 112_500, false),
  drug(N.epclusa400_100mg, 'Epclusa 400 mg/100 mg tablet', 'EA', 89_036, false),
  drug(N.biktarvy, 'Biktarvy 50/200/25 mg tablet', 'EA', 13_000, false),
  drug(N.revlimid10mg, 'Revlimid 10 mg capsule', 'EA', 90_000, false),
  drug(N.xeljanz5mg, 'Xeljanz 5 mg tablet', 'EA', 9_950, false),
  drug(N.otezla30mg, 'Otezla 30 mg tablet', 'EA', 8_000, false),
  drug(N.rinvoq15mg, 'Rinvoq 15 mg extended-release tablet', 'EA', 21_500, false),
  drug(N.gilenya0_5mg, 'Gilenya 0.5 mg capsule', 'EA', 33_000, false),
  drug(N.imbruvica140mg, 'Imbruvica 140 mg capsule', 'EA', 23_000, false),
]);

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
