import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIALTY_NDCS as NDC } from '../../sandbox/payer/plans.js';
import { type PayerStandIn, startPayerStandIn } from '../../sandbox/payer/server.js';
import { createPayerClient } from '../../src/integrations/adjudication/payerClient.js';
import type { ClaimAdjudicator } from '../../src/integrations/adjudication/port.js';
import { needsPriorAuthorization, type PharmacyClaim } from '../../src/integrations/adjudication/port.js';
import { VendorRejectedError, VendorUnavailableError } from '../../src/integrations/errors.js';
import { manualClock } from '../../src/platform/clock.js';

// Coverage as printed on the sandbox plans' cards (sandbox/payer/plans.ts).
const PPO = { bin: '610014', pcn: 'CommPlanA', group: 'EVG1001' }; // $500 deductible; tier 3 $80 copay, tier 4 30 %
const PART_D = { bin: '610097', pcn: 'MedDPlanA', group: 'LIBD2026' }; // $615 deductible, 25 %, $2,100 OOP cap
const MEDICAID = { bin: '610084', pcn: 'MedicaidOH', group: 'MCDBAY' }; // $4 copay

const claim = (
  coverage: { bin: string; pcn: string; group: string },
  memberId: string,
  drug: { ndc11: string; quantity: number; daysSupply: number },
  overrides: Partial<PharmacyClaim> = {},
): PharmacyClaim => ({
  claimId: randomUUID(),
  coverage: { ...coverage, memberId },
  patient: { dateOfBirth: '1980-04-12', lastName: 'Rivera' },
  ...drug,
  ...overrides,
});

// Humira Pen 40 mg: 2 pens for 28 days at $3,461.39 each = $6,922.78.
const humira = { ndc11: NDC.humiraPen40mg, quantity: 2, daysSupply: 28 };
// Gilenya 0.5 mg: 30 capsules at $330 = $9,900; tier 3, no coupon program.
const gilenya = { ndc11: NDC.gilenya0_5mg, quantity: 30, daysSupply: 30 };
// Rinvoq 15 mg: 30 tablets at $215 = $6,450; tier 4, no coupon program.
const rinvoq = { ndc11: NDC.rinvoq15mg, quantity: 30, daysSupply: 30 };

let payer: PayerStandIn;
let adjudicator: ClaimAdjudicator;

beforeAll(async () => {
  payer = await startPayerStandIn({ clock: manualClock('2026-03-02T15:00:00Z') });
  adjudicator = createPayerClient({ baseUrl: payer.url, apiKey: payer.apiKey });
});

afterAll(async () => {
  await payer?.close();
});

describe('a commercial plan', () => {
  it('charges the deductible before the copay, then the copay alone', async () => {
    const first = await adjudicator.adjudicate(claim(PPO, 'EVG100001', gilenya));
    expect(first).toMatchObject({
      outcome: 'paid',
      plan: { name: 'Evergreen Health PPO', type: 'commercial' },
      tier: 3,
      ingredientCostMinor: 990_000,
      deductibleAppliedMinor: 50_000,
      copayMinor: 8_000,
      patientPaysMinor: 58_000,
      planPaysMinor: 932_000,
      coupon: null,
      patientOwesMinor: 58_000,
    });

    const refill = await adjudicator.adjudicate(claim(PPO, 'EVG100001', gilenya));
    expect(refill).toMatchObject({
      deductibleAppliedMinor: 0,
      copayMinor: 8_000,
      patientPaysMinor: 8_000,
      planPaysMinor: 982_000,
    });
  });

  it('charges coinsurance on a specialty tier: 30 % of what the deductible leaves', async () => {
    const first = await adjudicator.adjudicate(claim(PPO, 'EVG100002', rinvoq));
    // $500 deductible + 30 % of the remaining $5,950 ($1,785) = $2,285.
    expect(first).toMatchObject({
      outcome: 'paid',
      tier: 4,
      ingredientCostMinor: 645_000,
      deductibleAppliedMinor: 50_000,
      coinsuranceRate: 0.3,
      patientPaysMinor: 228_500,
      planPaysMinor: 416_500,
      patientOwesMinor: 228_500,
    });
    expect(first).not.toHaveProperty('copayMinor');

    const refill = await adjudicator.adjudicate(claim(PPO, 'EVG100002', rinvoq));
    expect(refill).toMatchObject({ deductibleAppliedMinor: 0, patientPaysMinor: 193_500 });
  });

  it('applies the copay card up to its per-fill cap until the annual cap runs out', async () => {
    // Humira card: patient pays at least $5, at most $1,500 per fill, $4,000 a year.
    const fill = (dateOfService = '2026-03-02') =>
      adjudicator.adjudicate(claim(PPO, 'EVG100003', humira, { dateOfService }));

    // $500 deductible + 30 % of $6,422.78 = $2,426.83; the card pays its $1,500 per-fill cap.
    expect(await fill()).toMatchObject({
      patientPaysMinor: 242_683,
      coupon: { programName: 'Humira Complete Savings Card', appliedMinor: 150_000 },
      patientOwesMinor: 92_683,
    });
    // Deductible met: 30 % of $6,922.78 = $2,076.83; the cap again.
    expect(await fill()).toMatchObject({
      patientPaysMinor: 207_683,
      coupon: { appliedMinor: 150_000 },
      patientOwesMinor: 57_683,
    });
    // Only $1,000 of the $4,000 is left this year.
    expect(await fill()).toMatchObject({ coupon: { appliedMinor: 100_000 }, patientOwesMinor: 107_683 });
    expect(await fill()).toMatchObject({ coupon: { appliedMinor: 0 }, patientOwesMinor: 207_683 });
    // A new plan year resets the deductible and the card.
    expect(await fill('2027-01-08')).toMatchObject({
      deductibleAppliedMinor: 50_000,
      coupon: { appliedMinor: 150_000 },
      patientOwesMinor: 92_683,
    });
  });
});

describe('government plans', () => {
  it('gives a Medicare Part D member no coupon and caps the year at $2,100', async () => {
    const first = await adjudicator.adjudicate(claim(PART_D, 'LIB200001', humira));
    // $615 deductible + 25 % of $6,307.78 would be $2,191.95: the Part D cap stops it at $2,100.
    expect(first).toMatchObject({
      outcome: 'paid',
      plan: { type: 'medicare' },
      tier: 5,
      deductibleAppliedMinor: 61_500,
      coinsuranceRate: 0.25,
      patientPaysMinor: 210_000,
      planPaysMinor: 482_278,
      coupon: null,
      patientOwesMinor: 210_000,
    });
    const refill = await adjudicator.adjudicate(claim(PART_D, 'LIB200001', humira));
    expect(refill).toMatchObject({ patientPaysMinor: 0, planPaysMinor: 692_278, coupon: null });
  });

  it('gives a Medicaid member no coupon either, only the nominal copay', async () => {
    const pa = payer.grantPriorAuthorization({
      ...MEDICAID,
      memberId: 'MCD300001',
      ndc11: NDC.humiraPen40mg,
    });
    const result = await adjudicator.adjudicate(
      claim(MEDICAID, 'MCD300001', humira, { priorAuthorizationNumber: pa }),
    );
    expect(result).toMatchObject({
      outcome: 'paid',
      plan: { type: 'medicaid' },
      copayMinor: 400,
      coupon: null,
    });
  });
});

describe('rejections', () => {
  it('rejects a drug that needs prior authorization with NCPDP 75, and pays once its number is submitted', async () => {
    const stelara = { ndc11: NDC.stelara45mgSyringe, quantity: 0.5, daysSupply: 84 };
    const rejected = await adjudicator.adjudicate(claim(PPO, 'EVG100004', stelara));
    expect(rejected).toMatchObject({
      outcome: 'rejected',
      rejects: [{ code: '75', message: 'Prior Authorization Required' }],
    });
    expect(needsPriorAuthorization(rejected)).toBe(true);

    const pa = payer.grantPriorAuthorization({
      ...PPO,
      memberId: 'EVG100004',
      ndc11: NDC.stelara45mgSyringe,
    });
    // On file at the plan, but a claim without its number (462-EV) is still refused.
    expect(await adjudicator.adjudicate(claim(PPO, 'EVG100004', stelara))).toMatchObject({
      outcome: 'rejected',
      rejects: [{ code: '75' }],
    });
    const wrongNumber = await adjudicator.adjudicate(
      claim(PPO, 'EVG100004', stelara, { priorAuthorizationNumber: 'PA99999999' }),
    );
    expect(wrongNumber).toMatchObject({
      outcome: 'rejected',
      rejects: [{ code: '75', detail: 'PA number PA99999999 is not on file for this member and drug' }],
    });
    const resubmitted = await adjudicator.adjudicate(
      claim(PPO, 'EVG100004', stelara, { priorAuthorizationNumber: pa }),
    );
    // $13,836 syringe: $4,500.80 patient share, all but $5 of it on the withMe card.
    expect(resubmitted).toMatchObject({ outcome: 'paid', patientPaysMinor: 450_080, patientOwesMinor: 500 });
  });

  it('grants a prior authorization over the sandbox HTTP control, as a tester would', async () => {
    const response = await fetch(`${payer.url}/sandbox/prior-authorizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payer.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...PPO, memberId: 'EVG100005', ndc11: NDC.stelara45mgSyringe }),
    });
    expect(response.status).toBe(201);
    const { priorAuthorizationNumber } = (await response.json()) as { priorAuthorizationNumber: string };
    const stelara = { ndc11: NDC.stelara45mgSyringe, quantity: 0.5, daysSupply: 84 };
    const paid = await adjudicator.adjudicate(claim(PPO, 'EVG100005', stelara, { priorAuthorizationNumber }));
    expect(paid).toMatchObject({ outcome: 'paid' });
  });

  it('rejects a card no plan answers to with NCPDP 65', async () => {
    const result = await adjudicator.adjudicate(
      claim({ bin: '999999', pcn: 'NOPE', group: 'X1' }, 'ZZZ000001', humira),
    );
    expect(result).toMatchObject({
      outcome: 'rejected',
      rejects: [{ code: '65', message: 'Patient Is Not Covered' }],
    });
  });

  it('rejects a drug off formulary (70), a long supply (76) and a high dose (88)', async () => {
    const codes = async (drug: { ndc11: string; quantity: number; daysSupply: number }) => {
      const result = await adjudicator.adjudicate(claim(PPO, 'EVG100005', drug));
      return result.outcome === 'rejected' ? result.rejects.map((r) => r.code) : [];
    };
    expect(await codes({ ndc11: NDC.taltzAutoinjector80mg, quantity: 1, daysSupply: 28 })).toEqual(['70']);
    expect(await codes({ ...humira, quantity: 6, daysSupply: 84 })).toEqual(['76']);
    expect(await codes({ ndc11: NDC.xeljanz5mg, quantity: 120, daysSupply: 30 })).toEqual(['88']);
  });
});

describe('idempotency', () => {
  it('answers the same claimId with the same result and counts it once', async () => {
    const first = claim(PPO, 'EVG100006', humira);
    const answer = await adjudicator.adjudicate(first);
    expect(await adjudicator.adjudicate(first)).toEqual(answer);

    // Had the repeat been counted, the card would have $1,000 left, not its full $1,500 per fill.
    const next = await adjudicator.adjudicate(claim(PPO, 'EVG100006', humira));
    expect(next).toMatchObject({ coupon: { appliedMinor: 150_000 } });
  });

  it('refuses a claimId reused for a different claim', async () => {
    const original = claim(PPO, 'EVG100007', gilenya);
    await adjudicator.adjudicate(original);
    const reused = adjudicator.adjudicate({ ...original, quantity: 60, daysSupply: 60 });
    await expect(reused).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(reused).rejects.toMatchObject({ vendor: 'payer', code: 'claim_id_reused' });
  });
});

describe('when the payer is unavailable', () => {
  it('reports a 503 as VendorUnavailableError and recovers once the payer does', async () => {
    payer.failNextRequests(1);
    const retried = claim(PPO, 'EVG100008', gilenya);
    await expect(adjudicator.adjudicate(retried)).rejects.toBeInstanceOf(VendorUnavailableError);
    await expect(adjudicator.adjudicate(retried)).resolves.toMatchObject({ outcome: 'paid' });
  });

  it('reports a closed port and a silent payer as VendorUnavailableError', async () => {
    const gone = await startPayerStandIn();
    await gone.close();
    const unreachable = createPayerClient({ baseUrl: gone.url, apiKey: gone.apiKey });
    await expect(unreachable.adjudicate(claim(PPO, 'EVG100009', gilenya))).rejects.toBeInstanceOf(
      VendorUnavailableError,
    );

    // Accepts connections and never answers.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const slow = createPayerClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', timeoutMs: 200 });
    await expect(slow.adjudicate(claim(PPO, 'EVG100009', gilenya))).rejects.toMatchObject({
      name: 'VendorUnavailableError',
      message: expect.stringContaining('timed out after 200 ms'),
    });
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('reports a wrong API key as VendorRejectedError', async () => {
    const misconfigured = createPayerClient({ baseUrl: payer.url, apiKey: 'revoked' });
    await expect(misconfigured.adjudicate(claim(PPO, 'EVG100010', gilenya))).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'unauthorized',
    });
  });
});
