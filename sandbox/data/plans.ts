import { SPECIALTY_NDCS } from './drugs.js';

export { COUPON_PROGRAMS, DRUGS, SPECIALTY_NDCS } from './drugs.js';

/**
 * The pharmacy benefit plans of the sandbox world, shared by every stand-in: the payer adjudicates
 * them, the sample pharmacy network accepts them by BIN/PCN, the demo's patients carry their cards.
 * BINs are fictional values in the real 6-digit format; the benefit designs follow common shapes
 * (PPO copay tiers, HDHP coinsurance, a Part D standard design with the 2026 out-of-pocket cap,
 * Medicaid nominal copays) without copying any real plan.
 */
export type PlanType = 'commercial' | 'medicare' | 'medicaid';

export type CostShare =
  | { kind: 'copay'; amountMinor: number }
  /** `rateBps` is basis points of the allowed cost: 2500 = 25 %. */
  | { kind: 'coinsurance'; rateBps: number; maxPerFillMinor?: number };

export type FormularyEntry = {
  tier: number;
  priorAuthRequired?: boolean;
  /** Overrides the plan's limit, e.g. 84 days for a drug dosed every 12 weeks. */
  maxDaysSupply?: number;
  /** Dose check: more units per day than this is a DUR high-dose reject. */
  maxUnitsPerDay?: number;
};

export type Plan = {
  id: string;
  name: string;
  type: PlanType;
  bin: string;
  pcn: string;
  group: string;
  /** Per member and plan (calendar) year. */
  deductibleMinor: number;
  /** Tiers paid from the first dollar, deductible or not. */
  deductibleExemptTiers: readonly number[];
  /** Per member and plan year; null when the plan has none. */
  outOfPocketMaxMinor: number | null;
  maxDaysSupply: number;
  tiers: Readonly<Record<number, CostShare>>;
  formulary: Readonly<Record<string, FormularyEntry>>;
  /** A Medicaid plan belongs to one state: only its residents carry it, only pharmacies licensed there join it. */
  state?: string;
};

const N = SPECIALTY_NDCS;
const copay = (amountMinor: number): CostShare => ({ kind: 'copay', amountMinor });
const coinsurance = (rateBps: number): CostShare => ({ kind: 'coinsurance', rateBps });

const COMMERCIAL_FORMULARY: Record<string, FormularyEntry> = {
  [N.humiraPen40mg]: { tier: 4, maxDaysSupply: 28 },
  [N.stelara45mgSyringe]: { tier: 4, priorAuthRequired: true, maxDaysSupply: 84 },
  [N.enbrelSureClick50mg]: { tier: 4, maxDaysSupply: 28 },
  [N.skyriziPen150mg]: { tier: 4, priorAuthRequired: true, maxDaysSupply: 84 },
  // Taltz is excluded: the plan prefers Humira and Skyrizi in that class.
  [N.harvoni90_400mg]: { tier: 4, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.epclusa400_100mg]: { tier: 4, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.biktarvy]: { tier: 2 },
  [N.revlimid10mg]: { tier: 4, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.xeljanz5mg]: { tier: 3, maxDaysSupply: 30, maxUnitsPerDay: 2 },
  [N.otezla30mg]: { tier: 3, maxDaysSupply: 30, maxUnitsPerDay: 2 },
  [N.rinvoq15mg]: { tier: 4, maxDaysSupply: 30, maxUnitsPerDay: 1 },
  [N.gilenya0_5mg]: { tier: 3, maxDaysSupply: 30, maxUnitsPerDay: 1 },
  [N.imbruvica140mg]: { tier: 4, priorAuthRequired: true, maxDaysSupply: 30, maxUnitsPerDay: 4 },
  [N.cosentyxPen150mg]: { tier: 4, maxDaysSupply: 28 },
  [N.varivaxVial]: { tier: 2 },
};

const MEDICARE_FORMULARY: Record<string, FormularyEntry> = {
  [N.humiraPen40mg]: { tier: 5, maxDaysSupply: 28 },
  [N.stelara45mgSyringe]: { tier: 5, priorAuthRequired: true, maxDaysSupply: 84 },
  [N.enbrelSureClick50mg]: { tier: 5, maxDaysSupply: 28 },
  [N.skyriziPen150mg]: { tier: 5, priorAuthRequired: true, maxDaysSupply: 84 },
  [N.taltzAutoinjector80mg]: { tier: 5, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.harvoni90_400mg]: { tier: 5, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.epclusa400_100mg]: { tier: 5, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.biktarvy]: { tier: 5 },
  [N.revlimid10mg]: { tier: 5, priorAuthRequired: true, maxDaysSupply: 28 },
  [N.xeljanz5mg]: { tier: 5, maxUnitsPerDay: 2 },
  [N.otezla30mg]: { tier: 5, maxUnitsPerDay: 2 },
  [N.rinvoq15mg]: { tier: 5, maxUnitsPerDay: 1 },
  [N.gilenya0_5mg]: { tier: 5, maxUnitsPerDay: 1 },
  [N.imbruvica140mg]: { tier: 5, priorAuthRequired: true, maxUnitsPerDay: 4 },
  [N.varivaxVial]: { tier: 3 },
};

// One list for the whole sandbox: a patient's card both adjudicates here and matches in-network
// pharmacies when routing.
export const PLANS: readonly Plan[] = [
  {
    id: 'evergreen-ppo',
    name: 'Evergreen Health PPO',
    type: 'commercial',
    bin: '610014',
    pcn: 'CommPlanA',
    group: 'EVG1001',
    deductibleMinor: 50_000,
    deductibleExemptTiers: [1],
    outOfPocketMaxMinor: 920_000,
    maxDaysSupply: 90,
    tiers: { 1: copay(1_000), 2: copay(4_000), 3: copay(8_000), 4: coinsurance(3_000) },
    formulary: COMMERCIAL_FORMULARY,
  },
  {
    id: 'evergreen-hdhp',
    name: 'Evergreen Health HSA-Qualified HDHP',
    type: 'commercial',
    bin: '610020',
    pcn: 'CommPlanB',
    group: 'EVGHSA2',
    deductibleMinor: 330_000,
    deductibleExemptTiers: [],
    outOfPocketMaxMinor: 700_000,
    maxDaysSupply: 90,
    tiers: { 1: coinsurance(2_000), 2: coinsurance(2_000), 3: coinsurance(2_000), 4: coinsurance(2_000) },
    formulary: COMMERCIAL_FORMULARY,
  },
  {
    id: 'liberty-part-d',
    name: 'Liberty Rx Medicare Part D',
    type: 'medicare',
    bin: '610097',
    pcn: 'MedDPlanA',
    group: 'LIBD2026',
    deductibleMinor: 61_500,
    deductibleExemptTiers: [1, 2],
    outOfPocketMaxMinor: 210_000,
    maxDaysSupply: 30,
    tiers: { 1: copay(0), 2: copay(500), 3: copay(4_700), 4: coinsurance(4_000), 5: coinsurance(2_500) },
    formulary: MEDICARE_FORMULARY,
  },
  {
    id: 'buckeye-medicaid',
    name: 'Buckeye Medicaid Fee-for-Service',
    type: 'medicaid',
    bin: '610084',
    pcn: 'MedicaidOH',
    group: 'MCDBAY',
    deductibleMinor: 0,
    deductibleExemptTiers: [],
    outOfPocketMaxMinor: null,
    maxDaysSupply: 34,
    tiers: { 1: copay(100), 2: copay(400) },
    state: 'OH',
    formulary: {
      // Preferred-drug list: one product per class, nearly all behind prior authorization.
      [N.humiraPen40mg]: { tier: 2, priorAuthRequired: true, maxDaysSupply: 28 },
      [N.stelara45mgSyringe]: { tier: 2, priorAuthRequired: true, maxDaysSupply: 84 },
      [N.epclusa400_100mg]: { tier: 2, priorAuthRequired: true, maxDaysSupply: 28 },
      [N.biktarvy]: { tier: 2 },
      [N.revlimid10mg]: { tier: 2, priorAuthRequired: true, maxDaysSupply: 28 },
      [N.xeljanz5mg]: { tier: 2, priorAuthRequired: true, maxUnitsPerDay: 2 },
      [N.otezla30mg]: { tier: 2, priorAuthRequired: true, maxUnitsPerDay: 2 },
      [N.gilenya0_5mg]: { tier: 2, priorAuthRequired: true, maxUnitsPerDay: 1 },
      [N.imbruvica140mg]: { tier: 2, priorAuthRequired: true, maxUnitsPerDay: 4 },
    },
  },
  {
    id: 'summit-employer',
    name: 'Summit Employer Choice',
    type: 'commercial',
    bin: '004336',
    pcn: 'CommPlanC',
    group: 'SUM3003',
    deductibleMinor: 100_000,
    deductibleExemptTiers: [1, 2],
    outOfPocketMaxMinor: 600_000,
    maxDaysSupply: 90,
    tiers: {
      1: copay(500),
      2: copay(3_000),
      3: copay(6_000),
      4: { kind: 'coinsurance', rateBps: 2_500, maxPerFillMinor: 25_000 },
    },
    formulary: COMMERCIAL_FORMULARY,
  },
  {
    id: 'cascade-advantage',
    name: 'Cascade Medicare Advantage Rx',
    type: 'medicare',
    bin: '015581',
    pcn: 'MedDPlanB',
    group: 'CASMA26',
    deductibleMinor: 0,
    deductibleExemptTiers: [1, 2, 3],
    outOfPocketMaxMinor: 210_000,
    maxDaysSupply: 30,
    tiers: { 1: copay(0), 2: copay(1_000), 3: copay(4_500), 4: coinsurance(3_300), 5: coinsurance(2_500) },
    formulary: MEDICARE_FORMULARY,
  },
];

/** A member's card for a plan: what enrollment asks for and the payer matches on. */
export const coverageFor = (plan: Plan, memberId: string) => ({
  bin: plan.bin,
  pcn: plan.pcn,
  group: plan.group,
  memberId,
});
