import { SPECIALTY_NDCS } from './drugs.js';

export { COUPON_PROGRAMS, DRUGS, SPECIALTY_NDCS } from './drugs.js';

/**
 * Seed plans for the sandbox payer. BINs are fictional values in the real 6-digit format; the
 * benefit designs follow common shapes (PPO copay tiers, HDHP coinsurance, a Part D standard
 * design with the 2026 out-of-pocket cap, Medicaid nominal copays) without copying any real plan.
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
};

// BIN/PCN pairs are the synthetic world's (src/domain/routing/network.ts KNOWN_PLANS), so a patient's
// card both adjudicates here and matches in-network pharmacies when routing.
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
    formulary: {
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
    },
  },
  {
    id: 'bay-state-medicaid',
    name: 'Bay State Medicaid Fee-for-Service',
    type: 'medicaid',
    bin: '610084',
    pcn: 'MedicaidOH',
    group: 'MCDBAY',
    deductibleMinor: 0,
    deductibleExemptTiers: [],
    outOfPocketMaxMinor: null,
    maxDaysSupply: 34,
    tiers: { 1: copay(100), 2: copay(400) },
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
];
