import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COUPON_PROGRAMS, DRUGS, SAMPLE_DRUGS, type SampleDrug } from '../../sandbox/data/drugs.js';
import { generateNetwork, NETWORK_SEED, SAMPLE_NETWORK_CSV } from '../../sandbox/data/network.js';
import { PLANS } from '../../sandbox/data/plans.js';
import { FDA_SAMPLE_DIR } from '../../sandbox/referenceData.js';
import { readNdcDirectoryFiles } from '../../src/cli/referenceFiles.js';
import { CITIES } from '../../src/domain/routing/cities.js';
import { haversineKm, US_STATES } from '../../src/domain/routing/geo.js';
import { isValidNpi } from '../../src/domain/routing/npi.js';
import { writePharmacyCsv } from '../../src/domain/routing/pharmacyCsv.js';
import { rankPharmacies } from '../../src/domain/routing/rank.js';
import { sampleNetwork } from '../support/referenceData.js';

const planKey = (plan: { bin: string; pcn: string }) => `${plan.bin}/${plan.pcn}`;
const NETWORK = sampleNetwork();
const drugs = Object.values(SAMPLE_DRUGS) as SampleDrug[];

describe('the sample pharmacy network (sandbox/data/pharmacies.csv)', () => {
  it('given the generator at its default seed, then the CSV the sandbox imports is exactly its output', () => {
    expect(readFileSync(SAMPLE_NETWORK_CSV, 'utf8')).toBe(writePharmacyCsv(generateNetwork(NETWORK_SEED)));
  });

  it('then it holds at least 60 pharmacies with unique ids, valid NPIs and NCPDP ids', () => {
    expect(NETWORK.length).toBeGreaterThanOrEqual(60);
    for (const field of ['id', 'npi', 'ncpdpId', 'name'] as const)
      expect(new Set(NETWORK.map((p) => p[field])).size, field).toBe(NETWORK.length);
    for (const p of NETWORK) {
      expect(p.id).toMatch(/^PH-[A-Z]{2}-\d{2}$/);
      expect(isValidNpi(p.npi), p.npi).toBe(true);
      expect(p.ncpdpId).toMatch(/^\d{7}$/);
    }
  });

  it('then pharmacies spread over at least 14 states and sit within 10 km of their city', () => {
    expect(new Set(NETWORK.map((p) => p.address.state)).size).toBeGreaterThanOrEqual(14);
    for (const p of NETWORK) {
      const city = CITIES.find((c) => c.city === p.address.city && c.state === p.address.state);
      expect(city, p.id).toBeDefined();
      expect(haversineKm(p.location!, city ?? p.location!)).toBeLessThan(10);
      expect(p.licensedStates).toContain(p.address.state);
      expect(p.licensedStates.every((state) => US_STATES.includes(state))).toBe(true);
    }
  });

  it('then every accepted plan is a sandbox plan the payer adjudicates, and a state plan only where licensed', () => {
    const known = new Map(PLANS.map((plan) => [planKey(plan), plan]));
    for (const p of NETWORK) {
      for (const accepted of p.acceptedPlans) {
        const plan = known.get(planKey(accepted));
        expect(plan, `${p.id} ${planKey(accepted)}`).toBeDefined();
        if (plan?.state) expect(p.licensedStates).toContain(plan.state);
      }
    }
  });

  it('given another seed, then the generator gives another network', () => {
    expect(generateNetwork(7).map((p) => p.npi)).not.toEqual(NETWORK.map((p) => p.npi));
  });

  it('given any state with a pharmacy, any plan open there and any storage class, then some pharmacy can fill a specialty drug', () => {
    const routable = NETWORK.map((p) => ({
      ...p,
      status: 'active' as const,
      suspension: null,
      openOrders: 0,
    }));
    for (const state of new Set(NETWORK.map((p) => p.address.state))) {
      for (const plan of PLANS.filter((known) => !known.state || known.state === state)) {
        for (const storageClass of ['ambient', 'refrigerated', 'frozen'] as const) {
          const found = rankPharmacies(routable, {
            patientState: state,
            plan,
            drug: { ndc11: '00074055402', storageClass, specialty: true, limitedDistribution: null },
          });
          expect(found.length, `${state} ${plan.pcn} ${storageClass}`).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe('one vocabulary across the stand-ins', () => {
  it('then plans are unique by BIN/PCN with 6-digit BINs, commercial, Medicare and Medicaid among them', () => {
    expect(new Set(PLANS.map(planKey)).size).toBe(PLANS.length);
    for (const plan of PLANS) expect(plan.bin).toMatch(/^\d{6}$/);
    expect(new Set(PLANS.map((plan) => plan.type))).toEqual(new Set(['commercial', 'medicare', 'medicaid']));
  });

  it('then every drug a formulary or coupon names is a sample drug the payer prices', () => {
    const ndcs = new Set(drugs.map((drug) => drug.ndc11));
    for (const plan of PLANS)
      for (const ndc of Object.keys(plan.formulary)) {
        expect(ndcs.has(ndc), `${plan.id} ${ndc}`).toBe(true);
        expect(DRUGS[ndc], `${plan.id} ${ndc} priced`).toBeDefined();
      }
    for (const coupon of COUPON_PROGRAMS) for (const ndc of coupon.ndc11s) expect(ndcs.has(ndc)).toBe(true);
  });

  it('then every drug the demo prescribes is priced, on a commercial formulary, and in the directory sample', async () => {
    const directory = await readNdcDirectoryFiles(FDA_SAMPLE_DIR);
    const listed = new Set(directory.listings.map((l) => l.ndc11));
    const prescribed = drugs.filter((drug) => drug.prescription);
    expect(prescribed.map((drug) => drug.ndc11)).toContain('57894006003');
    expect(new Set(prescribed.map((drug) => drug.storageClass))).toEqual(
      new Set(['ambient', 'refrigerated', 'frozen']),
    );
    for (const drug of prescribed) {
      expect(listed.has(drug.ndc11), drug.name).toBe(true);
      expect(drug.inDirectorySample).toBe(true);
      expect(DRUGS[drug.ndc11], drug.name).toBeDefined();
      expect(
        PLANS.find((plan) => plan.type === 'commercial')?.formulary[drug.ndc11],
        drug.name,
      ).toBeDefined();
    }
  });

  it('then every sample drug said to be in the directory sample is there, and the one said not to be is not', async () => {
    const listed = new Set((await readNdcDirectoryFiles(FDA_SAMPLE_DIR)).listings.map((l) => l.ndc11));
    for (const drug of drugs) expect(listed.has(drug.ndc11), drug.name).toBe(drug.inDirectorySample);
  });
});
