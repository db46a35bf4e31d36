import { z } from 'zod';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';
import type { ClaimAdjudicator, ClaimResult, PharmacyClaim } from './port.js';

export type PayerClientConfig = {
  /** The payer switch's base URL; the sandbox payer's `url` in development and tests. */
  baseUrl: string;
  apiKey: string;
  /** Bounds each call; the platform's retry schedule does the rest. */
  timeoutMs?: number;
};

const VENDOR = 'payer';

const money = z.number().int().nonnegative();

const payerResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('paid'),
    claimId: z.string(),
    authorizationNumber: z.string(),
    plan: z.object({ name: z.string(), type: z.enum(['commercial', 'medicare', 'medicaid']) }),
    tier: z.number().int(),
    currency: z.string(),
    ingredientCostMinor: money,
    planPaysMinor: money,
    patientPaysMinor: money,
    deductibleAppliedMinor: money,
    copayMinor: money.optional(),
    coinsuranceRate: z.number().min(0).max(1).optional(),
    coupon: z.object({ programName: z.string(), appliedMinor: money }).nullable(),
    patientPaysAfterCouponMinor: money,
  }),
  z.object({
    status: z.literal('rejected'),
    claimId: z.string(),
    rejects: z.array(
      z.object({ code: z.string(), message: z.string(), additionalInfo: z.string().optional() }),
    ),
  }),
]);

const payerError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const toRequest = (claim: PharmacyClaim) => ({
  claimId: claim.claimId,
  bin: claim.coverage.bin,
  pcn: claim.coverage.pcn,
  group: claim.coverage.group,
  memberId: claim.coverage.memberId,
  ndc11: claim.ndc11,
  quantity: claim.quantity,
  daysSupply: claim.daysSupply,
  dateOfService: claim.dateOfService,
  pharmacyNpi: claim.pharmacyNpi,
  ...(claim.priorAuthorizationNumber
    ? { priorAuthorization: { typeCode: '1', number: claim.priorAuthorizationNumber } }
    : {}),
  patient: claim.patient,
});

const toResult = (body: z.infer<typeof payerResponse>): ClaimResult => {
  if (body.status === 'rejected') {
    return {
      outcome: 'rejected',
      claimId: body.claimId,
      rejects: body.rejects.map((r) => ({
        code: r.code,
        message: r.message,
        ...(r.additionalInfo ? { detail: r.additionalInfo } : {}),
      })),
    };
  }
  return {
    outcome: 'paid',
    claimId: body.claimId,
    authorizationNumber: body.authorizationNumber,
    plan: body.plan,
    tier: body.tier,
    currency: body.currency,
    ingredientCostMinor: body.ingredientCostMinor,
    planPaysMinor: body.planPaysMinor,
    patientPaysMinor: body.patientPaysMinor,
    deductibleAppliedMinor: body.deductibleAppliedMinor,
    ...(body.copayMinor !== undefined ? { copayMinor: body.copayMinor } : {}),
    ...(body.coinsuranceRate !== undefined ? { coinsuranceRate: body.coinsuranceRate } : {}),
    coupon: body.coupon
      ? { programName: body.coupon.programName, appliedMinor: body.coupon.appliedMinor }
      : null,
    patientOwesMinor: body.patientPaysAfterCouponMinor,
  };
};

const readJson = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Talks to the payer over HTTP with global fetch. Network failures, timeouts, 5xx, 408 and 429
 * may pass later: unavailable. Other 4xx are the payer refusing the request: rejected. A 200 that
 * is not a claim response means the payer changed under us; it is retried and shows as an incident.
 */
export const createPayerClient = (config: PayerClientConfig): ClaimAdjudicator => {
  const endpoint = new URL('claims', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const timeoutMs = config.timeoutMs ?? 10_000;

  return {
    async adjudicate(claim) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(toRequest(claim)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `timed out after ${timeoutMs} ms`
            : 'unreachable';
        throw new VendorUnavailableError(VENDOR, `Payer ${reason}: ${(error as Error).message}`, error);
      }
      let body: unknown;
      try {
        body = await readJson(response);
      } catch (error) {
        throw new VendorUnavailableError(
          VENDOR,
          `Payer response broke off: ${(error as Error).message}`,
          error,
        );
      }
      const status = response.status;
      if (status >= 500 || status === 408 || status === 429) {
        throw new VendorUnavailableError(VENDOR, `Payer answered ${status}`, body);
      }
      if (status >= 400) {
        const known = payerError.safeParse(body);
        const code = known.success ? known.data.error.code : `http_${status}`;
        const message = known.success ? known.data.error.message : `Payer answered ${status}`;
        throw new VendorRejectedError(VENDOR, code, `Payer refused claim ${claim.claimId}: ${message}`, body);
      }
      const parsed = payerResponse.safeParse(body);
      if (!parsed.success) {
        throw new VendorUnavailableError(
          VENDOR,
          `Payer answered an unreadable claim response: ${parsed.error.message}`,
        );
      }
      return toResult(parsed.data);
    },
  };
};
