/**
 * Sandbox pharmacy benefit payer: a JSON rendering of an NCPDP B1 (claim billing) exchange.
 *
 *   POST /claims   Authorization: Bearer <apiKey>
 *   {
 *     "claimId": "…",             idempotency key: the same id always gets the first answer
 *     "bin": "610014", "pcn": "CommPlanA", "group": "EVG1001", "memberId": "EVG123456",
 *     "ndc11": "00074055402", "quantity": 2, "daysSupply": 28,
 *     "dateOfService": "2026-03-02",   optional, the payer's today by default
 *     "pharmacyNpi": "1234567893",     optional
 *     "patient": { "dateOfBirth": "1980-04-12", "lastName": "Rivera" }
 *   }
 *
 *   200 { "status": "paid", claimId, authorizationNumber, plan: { id, name, type }, tier, currency,
 *         ingredientCostMinor, planPaysMinor, patientPaysMinor, deductibleAppliedMinor,
 *         copayMinor? | coinsuranceRate? + coinsuranceMinor?,
 *         coupon: { programName, appliedMinor, annualRemainingMinor } | null,
 *         patientPaysAfterCouponMinor, accumulators: { deductibleMetMinor, outOfPocketMetMinor } }
 *   200 { "status": "rejected", claimId, rejects: [{ code, message, additionalInfo? }] }
 *       NCPDP reject codes: 65 not covered, 70 not on formulary, 75 prior authorization required,
 *       76 plan limitations exceeded, 88 DUR reject, M/I codes (07, 09, 15, 19, 21, CB, E7), 54.
 *   400 { error: { code: 'invalid_request', message, issues } }  body is not a claim at all
 *   401 { error: { code: 'unauthorized', message } }
 *   409 { error: { code: 'claim_id_reused', message } }          same claimId, different claim
 *
 * As at a real processor, a rejected claim is a normal answer (200), not an HTTP error. Money is
 * integer cents. Accumulators (deductible, out-of-pocket, coupon use) live in memory per member,
 * plan and calendar year, and only paid claims move them.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { z } from 'zod';
import {
  adjudicate,
  type ClaimRequest,
  type Ledger,
  type PaidClaim,
  type RejectedClaim,
} from './adjudicate.js';
import { COUPON_PROGRAMS, DRUGS, PLANS, type Plan } from './plans.js';

export type PayerStandInOptions = {
  port?: number;
  host?: string;
  apiKey?: string;
  clock?: { now(): Date };
  plans?: readonly Plan[];
};

export type PayerStandIn = {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  /** The next `n` requests answer `status` (default 503). */
  failNextRequests(n: number, status?: number): void;
  /** Puts a prior authorization on file, as the plan does after approving the prescriber's request. */
  grantPriorAuthorization(coverage: {
    bin: string;
    pcn: string;
    group: string;
    memberId: string;
    ndc11: string;
  }): string;
  /** The plan turns the PA request down: any authorisation on file for this member and drug is withdrawn. */
  denyPriorAuthorization(coverage: {
    bin: string;
    pcn: string;
    group: string;
    memberId: string;
    ndc11: string;
  }): void;
};

export const DEFAULT_PAYER_API_KEY = 'payer_sandbox_key';

const claimBody = z.object({
  claimId: z.string().min(1).max(100),
  bin: z.string(),
  pcn: z.string(),
  group: z.string(),
  memberId: z.string(),
  ndc11: z.string(),
  quantity: z.number(),
  daysSupply: z.number(),
  dateOfService: z.string().optional(),
  pharmacyNpi: z.string().optional(),
  priorAuthorization: z.object({ typeCode: z.string(), number: z.string().min(1).max(40) }).optional(),
  patient: z.object({ dateOfBirth: z.string(), lastName: z.string() }),
});

const grantBody = z.object({
  bin: z.string(),
  pcn: z.string(),
  group: z.string(),
  memberId: z.string().min(1),
  ndc11: z.string().regex(/^\d{11}$/),
});

const error = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message, ...extra },
});

export const startPayerStandIn = async (options: PayerStandInOptions = {}): Promise<PayerStandIn> => {
  const apiKey = options.apiKey ?? DEFAULT_PAYER_API_KEY;
  const clock = options.clock ?? { now: () => new Date() };
  const catalogue = { plans: options.plans ?? PLANS, drugs: DRUGS, coupons: COUPON_PROGRAMS };
  const planYears = new Map<string, { deductibleMetMinor: number; outOfPocketMetMinor: number }>();
  const couponUse = new Map<string, number>();
  const priorAuths = new Map<string, string>();
  const answered = new Map<string, { claim: string; response: PaidClaim | RejectedClaim }>();
  const failures = { remaining: 0, status: 503 };
  let authSequence = 0;

  const key = (...parts: (string | number)[]) => parts.join('|');
  const ledger: Ledger = {
    planYear: (planId, memberId, year) =>
      planYears.get(key(planId, memberId, year)) ?? { deductibleMetMinor: 0, outOfPocketMetMinor: 0 },
    couponUsed: (programId, memberId, year) => couponUse.get(key(programId, memberId, year)) ?? 0,
    priorAuthorization: (planId, memberId, ndc11) => priorAuths.get(key(planId, memberId, ndc11)),
  };

  const app = Fastify({ logger: false });

  app.addHook('onRequest', async (request, reply) => {
    if (failures.remaining > 0) {
      failures.remaining -= 1;
      return reply.code(failures.status).send(error('unavailable', 'The payer switch is unavailable'));
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return reply.code(401).send(error('unauthorized', 'A valid Bearer API key is required'));
    }
  });

  app.post('/claims', async (request, reply) => {
    const parsed = claimBody.safeParse(request.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send(error('invalid_request', 'The body is not a claim', { issues: parsed.error.issues }));
    }
    const claim: ClaimRequest = parsed.data;
    const fingerprint = JSON.stringify(claim);
    const previous = answered.get(claim.claimId);
    if (previous) {
      if (previous.claim === fingerprint) return previous.response;
      return reply
        .code(409)
        .send(
          error('claim_id_reused', `Claim ${claim.claimId} was already submitted with different content`),
        );
    }
    const outcome = adjudicate(claim, catalogue, ledger, clock.now().toISOString().slice(0, 10));
    if ('postings' in outcome) {
      const { planId, memberId, year, deductibleMinor, outOfPocketMinor, coupon } = outcome.postings;
      const met = ledger.planYear(planId, memberId, year);
      planYears.set(key(planId, memberId, year), {
        deductibleMetMinor: met.deductibleMetMinor + deductibleMinor,
        outOfPocketMetMinor: met.outOfPocketMetMinor + outOfPocketMinor,
      });
      if (coupon) {
        const used = ledger.couponUsed(coupon.programId, memberId, year);
        couponUse.set(key(coupon.programId, memberId, year), used + coupon.amountMinor);
      }
    }
    answered.set(claim.claimId, { claim: fingerprint, response: outcome.response });
    return outcome.response;
  });

  const grant = (coverage: z.infer<typeof grantBody>) => {
    const plan = catalogue.plans.find(
      (p) => p.bin === coverage.bin && p.pcn === coverage.pcn && p.group === coverage.group,
    );
    if (!plan) return null;
    authSequence += 1;
    const number = `PA${String(authSequence).padStart(8, '0')}`;
    priorAuths.set(key(plan.id, coverage.memberId, coverage.ndc11), number);
    return number;
  };

  // Sandbox control, not part of a payer's claim API: the plan approves a prescriber's PA request.
  app.post('/sandbox/prior-authorizations', async (request, reply) => {
    const parsed = grantBody.safeParse(request.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send(
          error('invalid_request', 'The body is not a coverage and NDC', { issues: parsed.error.issues }),
        );
    }
    const number = grant(parsed.data);
    if (!number) {
      return reply.code(404).send(error('unknown_plan', 'No sandbox plan has this BIN, PCN and group'));
    }
    return reply.code(201).send({ priorAuthorizationNumber: number, ...parsed.data });
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    apiKey,
    close: () => app.close(),
    failNextRequests(n, status = 503) {
      failures.remaining = n;
      failures.status = status;
    },
    grantPriorAuthorization(coverage) {
      const number = grant(coverage);
      if (!number)
        throw new Error(`No sandbox plan for BIN ${coverage.bin} / PCN ${coverage.pcn} / ${coverage.group}`);
      return number;
    },
    denyPriorAuthorization(coverage) {
      const plan = catalogue.plans.find(
        (p) => p.bin === coverage.bin && p.pcn === coverage.pcn && p.group === coverage.group,
      );
      if (!plan)
        throw new Error(`No sandbox plan for BIN ${coverage.bin} / PCN ${coverage.pcn} / ${coverage.group}`);
      priorAuths.delete(key(plan.id, coverage.memberId, coverage.ndc11));
    },
  };
};
