export type PlanType = 'commercial' | 'medicare' | 'medicaid';

/** A pharmacy claim (NCPDP B1) for one dispensed drug. */
export type PharmacyClaim = {
  /**
   * Idempotency key, derived from the triggering event id: a retried call gets the payer's first
   * answer. A deliberate resubmission (say after a prior authorization) comes from a new event and
   * so carries a new id.
   */
  claimId: string;
  /** From the patient's insurance card. */
  coverage: { bin: string; pcn: string; group: string; memberId: string };
  patient: { dateOfBirth: string; lastName: string };
  /** 11 digits, 5-4-2, no dashes. */
  ndc11: string;
  /** In the drug's NCPDP billing unit (each, millilitre). */
  quantity: number;
  daysSupply: number;
  /** YYYY-MM-DD, the day the drug is dispensed; the payer's today when absent. */
  dateOfService?: string;
  pharmacyNpi?: string;
  /**
   * NCPDP 462-EV (Prior Authorization Number Submitted), with 461-EU type 1 (prior authorization):
   * the number the plan gave when it approved the prescriber's request.
   */
  priorAuthorizationNumber?: string;
};

export type ClaimReject = { code: string; message: string; detail?: string };

export type PaidClaim = {
  outcome: 'paid';
  claimId: string;
  authorizationNumber: string;
  plan: { name: string; type: PlanType };
  tier: number;
  currency: string;
  ingredientCostMinor: number;
  planPaysMinor: number;
  /** The patient's share under the plan, before any manufacturer coupon. */
  patientPaysMinor: number;
  deductibleAppliedMinor: number;
  copayMinor?: number;
  /** Fraction of the allowed cost, e.g. 0.25. */
  coinsuranceRate?: number;
  coupon: { programName: string; appliedMinor: number } | null;
  /** What the patient is asked to pay: their share less the coupon. */
  patientOwesMinor: number;
};

export type RejectedClaim = { outcome: 'rejected'; claimId: string; rejects: ClaimReject[] };

export type ClaimResult = PaidClaim | RejectedClaim;

/** NCPDP 75: the prescriber must obtain prior authorization before the claim can pay. */
export const PRIOR_AUTHORIZATION_REQUIRED = '75';

export const needsPriorAuthorization = (result: ClaimResult): boolean =>
  result.outcome === 'rejected' && result.rejects.some((r) => r.code === PRIOR_AUTHORIZATION_REQUIRED);

/**
 * Insurance adjudication. A rejected claim is a normal result, not an error; calls throw
 * VendorUnavailableError (retry on the platform's schedule) or VendorRejectedError (the payer
 * refused the request itself, never retried).
 */
export type ClaimAdjudicator = {
  adjudicate(claim: PharmacyClaim): Promise<ClaimResult>;
};
