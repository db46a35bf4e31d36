import { createHash } from 'node:crypto';
import type { CouponProgram, Drug } from './drugs.js';
import type { Plan, PlanType } from './plans.js';

export type ClaimRequest = {
  claimId: string;
  bin: string;
  pcn: string;
  group: string;
  memberId: string;
  ndc11: string;
  quantity: number;
  daysSupply: number;
  /** YYYY-MM-DD; the payer's today when absent. Picks the plan year of the accumulators. */
  dateOfService?: string | undefined;
  pharmacyNpi?: string | undefined;
  /** NCPDP 461-EU type code and 462-EV number: the approval the plan gave for this drug. */
  priorAuthorization?: { typeCode: string; number: string } | undefined;
  patient: { dateOfBirth: string; lastName: string };
};

export type Reject = { code: string; message: string; additionalInfo?: string };

export type RejectedClaim = { status: 'rejected'; claimId: string; rejects: Reject[] };

export type PaidClaim = {
  status: 'paid';
  claimId: string;
  authorizationNumber: string;
  plan: { id: string; name: string; type: PlanType };
  tier: number;
  currency: 'USD';
  ingredientCostMinor: number;
  planPaysMinor: number;
  patientPaysMinor: number;
  deductibleAppliedMinor: number;
  copayMinor?: number;
  coinsuranceRate?: number;
  coinsuranceMinor?: number;
  coupon: { programName: string; appliedMinor: number; annualRemainingMinor: number } | null;
  patientPaysAfterCouponMinor: number;
  accumulators: { deductibleMetMinor: number; outOfPocketMetMinor: number };
};

/** What the payer remembers per member: read through this, written back from `postings`. */
export type Ledger = {
  planYear(
    planId: string,
    memberId: string,
    year: number,
  ): { deductibleMetMinor: number; outOfPocketMetMinor: number };
  couponUsed(programId: string, memberId: string, year: number): number;
  /** The number of the prior authorization on file for this member and drug, if the plan granted one. */
  priorAuthorization(planId: string, memberId: string, ndc11: string): string | undefined;
};

export type Postings = {
  planId: string;
  memberId: string;
  year: number;
  deductibleMinor: number;
  outOfPocketMinor: number;
  coupon?: { programId: string; amountMinor: number };
};

export type Adjudication = { response: RejectedClaim } | { response: PaidClaim; postings: Postings };

export type Catalogue = {
  plans: readonly Plan[];
  drugs: Readonly<Record<string, Drug>>;
  coupons: readonly CouponProgram[];
};

/** NCPDP reject codes (field 511-FB) the payer answers with; "M/I" means missing or invalid. */
export const REJECT_CODES = {
  '07': 'M/I Cardholder ID',
  '09': 'M/I Date Of Birth',
  '15': 'M/I Date Of Service',
  '19': 'M/I Days Supply',
  '21': 'M/I Product/Service ID',
  CB: 'M/I Patient Last Name',
  E7: 'M/I Quantity Dispensed',
  '54': 'Non-Matched Product/Service ID Number',
  '65': 'Patient Is Not Covered',
  '70': 'Product/Service Not Covered',
  '75': 'Prior Authorization Required',
  '76': 'Plan Limitations Exceeded',
  '88': 'DUR Reject Error',
} as const;

const reject = (code: keyof typeof REJECT_CODES, additionalInfo?: string): Reject => ({
  code,
  message: REJECT_CODES[code],
  ...(additionalInfo ? { additionalInfo } : {}),
});

const isDate = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

const missingOrInvalid = (claim: ClaimRequest, serviceDate: string): Reject[] => {
  const rejects: Reject[] = [];
  if (!/^[A-Za-z0-9-]{5,20}$/.test(claim.memberId)) rejects.push(reject('07'));
  if (!isDate(claim.patient.dateOfBirth) || claim.patient.dateOfBirth > serviceDate)
    rejects.push(reject('09'));
  if (claim.patient.lastName.trim() === '') rejects.push(reject('CB'));
  if (!isDate(serviceDate)) rejects.push(reject('15'));
  if (!/^\d{11}$/.test(claim.ndc11))
    rejects.push(reject('21', 'NDC must be 11 digits (5-4-2) without dashes'));
  if (!(claim.quantity > 0)) rejects.push(reject('E7'));
  if (!Number.isInteger(claim.daysSupply) || claim.daysSupply < 1 || claim.daysSupply > 365) {
    rejects.push(reject('19'));
  }
  return rejects;
};

const authorizationNumber = (claimId: string) =>
  createHash('sha256').update(claimId).digest('hex').slice(0, 12).toUpperCase();

/**
 * Adjudicates one claim against the catalogue and what the ledger remembers. Pure: the caller
 * posts the returned `postings` to the ledger, and only for paid claims.
 */
export const adjudicate = (
  claim: ClaimRequest,
  catalogue: Catalogue,
  ledger: Ledger,
  today: string,
): Adjudication => {
  const rejected = (rejects: Reject[]) => ({
    response: { status: 'rejected' as const, claimId: claim.claimId, rejects },
  });
  const serviceDate = claim.dateOfService ?? today;
  const invalid = missingOrInvalid(claim, serviceDate);
  if (invalid.length > 0) return rejected(invalid);

  const plan = catalogue.plans.find(
    (p) => p.bin === claim.bin && p.pcn === claim.pcn && p.group === claim.group,
  );
  if (!plan)
    return rejected([reject('65', `No plan for BIN ${claim.bin} / PCN ${claim.pcn} / group ${claim.group}`)]);
  const drug = catalogue.drugs[claim.ndc11];
  if (!drug) return rejected([reject('54')]);
  const entry = plan.formulary[claim.ndc11];
  if (!entry) return rejected([reject('70', `${drug.name} is not on the ${plan.name} formulary`)]);

  const limits: Reject[] = [];
  if (entry.priorAuthRequired) {
    // As at a processor, an approval counts only when the claim carries its number (462-EV).
    const onFile = ledger.priorAuthorization(plan.id, claim.memberId, claim.ndc11);
    const submitted = claim.priorAuthorization?.number;
    if (!submitted) limits.push(reject('75', `${drug.name} needs prior authorization`));
    else if (submitted !== onFile) {
      limits.push({
        ...reject('75', `${drug.name} needs prior authorization`),
        additionalInfo: `PA number ${submitted} is not on file for this member and drug`,
      });
    }
  }
  const maxDays = entry.maxDaysSupply ?? plan.maxDaysSupply;
  if (claim.daysSupply > maxDays) limits.push(reject('76', `Days supply limited to ${maxDays}`));
  if (entry.maxUnitsPerDay !== undefined && claim.quantity / claim.daysSupply > entry.maxUnitsPerDay) {
    limits.push(reject('88', `HD high dose: more than ${entry.maxUnitsPerDay} units per day`));
  }
  if (limits.length > 0) return rejected(limits);

  const year = Number(serviceDate.slice(0, 4));
  const met = ledger.planYear(plan.id, claim.memberId, year);
  const costShare = plan.tiers[entry.tier];
  if (!costShare) throw new Error(`Plan ${plan.id} has no cost share for tier ${entry.tier}`);

  const ingredientCostMinor = Math.round(drug.unitPriceMinor * claim.quantity);
  const deductibleDue = plan.deductibleExemptTiers.includes(entry.tier)
    ? 0
    : Math.min(ingredientCostMinor, Math.max(0, plan.deductibleMinor - met.deductibleMetMinor));
  const afterDeductible = ingredientCostMinor - deductibleDue;
  const shareMinor =
    costShare.kind === 'copay'
      ? Math.min(costShare.amountMinor, afterDeductible)
      : Math.min(
          Math.round((afterDeductible * costShare.rateBps) / 10_000),
          costShare.maxPerFillMinor ?? Number.POSITIVE_INFINITY,
        );
  // Once the member reaches the out-of-pocket maximum the plan pays everything.
  const outOfPocketLeft =
    plan.outOfPocketMaxMinor === null
      ? Number.POSITIVE_INFINITY
      : Math.max(0, plan.outOfPocketMaxMinor - met.outOfPocketMetMinor);
  const patientPaysMinor = Math.min(deductibleDue + shareMinor, outOfPocketLeft);
  const deductibleAppliedMinor = Math.min(deductibleDue, patientPaysMinor);

  // Copay cards are commercial only: federal anti-kickback rules bar them from government plans.
  const program =
    plan.type === 'commercial' ? catalogue.coupons.find((c) => c.ndc11s.includes(claim.ndc11)) : undefined;
  const couponLeft = program
    ? program.annualCapMinor - ledger.couponUsed(program.id, claim.memberId, year)
    : 0;
  const couponMinor = program
    ? Math.max(
        0,
        Math.min(patientPaysMinor - program.patientMinimumMinor, program.perFillCapMinor, couponLeft),
      )
    : 0;

  const response: PaidClaim = {
    status: 'paid',
    claimId: claim.claimId,
    authorizationNumber: authorizationNumber(claim.claimId),
    plan: { id: plan.id, name: plan.name, type: plan.type },
    tier: entry.tier,
    currency: 'USD',
    ingredientCostMinor,
    planPaysMinor: ingredientCostMinor - patientPaysMinor,
    patientPaysMinor,
    deductibleAppliedMinor,
    ...(costShare.kind === 'copay'
      ? { copayMinor: patientPaysMinor - deductibleAppliedMinor }
      : {
          coinsuranceRate: costShare.rateBps / 10_000,
          coinsuranceMinor: patientPaysMinor - deductibleAppliedMinor,
        }),
    coupon: program
      ? {
          programName: program.name,
          appliedMinor: couponMinor,
          annualRemainingMinor: couponLeft - couponMinor,
        }
      : null,
    patientPaysAfterCouponMinor: patientPaysMinor - couponMinor,
    accumulators: {
      deductibleMetMinor: met.deductibleMetMinor + deductibleAppliedMinor,
      outOfPocketMetMinor: met.outOfPocketMetMinor + patientPaysMinor,
    },
  };
  return {
    response,
    postings: {
      planId: plan.id,
      memberId: claim.memberId,
      year,
      deductibleMinor: deductibleAppliedMinor,
      outOfPocketMinor: patientPaysMinor,
      ...(program && couponMinor > 0 ? { coupon: { programId: program.id, amountMinor: couponMinor } } : {}),
    },
  };
};
