import { describe, expect, it } from 'vitest';
import { CITIES } from '../../../src/domain/routing/cities.js';
import { haversineKm, US_STATES } from '../../../src/domain/routing/geo.js';
import {
  generateNetwork,
  KNOWN_PLANS,
  NETWORK_SEED,
  PHARMACY_NETWORK,
} from '../../../src/domain/routing/network.js';
import { isValidNpi, npiCheckDigit } from '../../../src/domain/routing/npi.js';
import { rankPharmacies } from '../../../src/domain/routing/rank.js';

const planKey = (plan: { bin: string; pcn: string }) => `${plan.bin}/${plan.pcn}`;

describe('NPI check digit', () => {
  it('given the CMS example 123456789, when the check digit is computed, then it is 3', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
  });

  it('given a wrong check digit, length or leading digit, when validated, then the NPI is refused', () => {
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('3234567893')).toBe(false);
  });
});

describe('synthetic pharmacy network', () => {
  it('given the default seed, then it holds at least 60 pharmacies with unique ids, NPIs and NCPDP ids', () => {
    expect(PHARMACY_NETWORK.length).toBeGreaterThanOrEqual(60);
    for (const field of ['id', 'npi', 'ncpdpId', 'name'] as const) {
      expect(new Set(PHARMACY_NETWORK.map((p) => p[field])).size, field).toBe(PHARMACY_NETWORK.length);
    }
    for (const p of PHARMACY_NETWORK) {
      expect(p.id).toMatch(/^PH-[A-Z]{2}-\d{2}$/);
      expect(isValidNpi(p.npi), p.npi).toBe(true);
      expect(p.ncpdpId).toMatch(/^\d{7}$/);
    }
  });

  it('given the default seed, then pharmacies spread over at least 14 states and sit within 10 km of their city', () => {
    expect(new Set(PHARMACY_NETWORK.map((p) => p.address.state)).size).toBeGreaterThanOrEqual(14);
    for (const p of PHARMACY_NETWORK) {
      const city = CITIES.find((c) => c.city === p.address.city && c.state === p.address.state);
      expect(city, p.id).toBeDefined();
      expect(haversineKm(p.location, city ?? p.location)).toBeLessThan(10);
      expect(p.licensedStates).toContain(p.address.state);
      expect(p.licensedStates.every((state) => US_STATES.includes(state))).toBe(true);
    }
  });

  it('given the default seed, then every accepted plan is a known plan and Medicaid only where licensed', () => {
    const known = new Map<string, (typeof KNOWN_PLANS)[number]>(
      KNOWN_PLANS.map((plan) => [planKey(plan), plan]),
    );
    for (const p of PHARMACY_NETWORK) {
      for (const accepted of p.acceptedPlans) {
        const plan = known.get(planKey(accepted));
        expect(plan, `${p.id} ${planKey(accepted)}`).toBeDefined();
        if (plan && 'state' in plan) expect(p.licensedStates).toContain(plan.state);
      }
    }
  });

  it('given the load and capacity figures, then they are plausible', () => {
    for (const p of PHARMACY_NETWORK) {
      expect(p.capacityPerDay).toBeGreaterThan(0);
      expect(p.currentLoad).toBeGreaterThanOrEqual(0);
      expect(p.currentLoad).toBeLessThanOrEqual(p.capacityPerDay);
      expect(p.turnaroundHours).toBeGreaterThan(0);
      if (p.capabilities.limitedDistribution.length > 0) expect(p.capabilities.specialty).toBe(true);
    }
  });

  it('given the same seed twice, when generated, then the networks are identical; another seed differs', () => {
    expect(generateNetwork(NETWORK_SEED)).toEqual(PHARMACY_NETWORK);
    expect(generateNetwork(NETWORK_SEED)).toEqual(generateNetwork(NETWORK_SEED));
    expect(generateNetwork(7).map((p) => p.npi)).not.toEqual(PHARMACY_NETWORK.map((p) => p.npi));
  });

  it('given any state with a pharmacy and any commercial plan, when routing adalimumab, then someone can fill it', () => {
    const states = [...new Set(PHARMACY_NETWORK.map((p) => p.address.state))];
    for (const state of states) {
      for (const plan of KNOWN_PLANS.filter((known) => known.kind === 'commercial')) {
        const found = rankPharmacies(PHARMACY_NETWORK, {
          patientState: state,
          plan,
          ndc11: '00074055402',
          requiresColdChain: true,
          isSpecialty: true,
        });
        expect(found.length, `${state} ${plan.pcn}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('known plans', () => {
  it('given the plan list the payer stand-in aligns with, then it has 3 commercial, 2 Medicare and 1 Medicaid plan, unique by BIN/PCN', () => {
    expect(KNOWN_PLANS.map((plan) => plan.kind).sort()).toEqual([
      'commercial',
      'commercial',
      'commercial',
      'medicaid',
      'medicare',
      'medicare',
    ]);
    expect(new Set(KNOWN_PLANS.map(planKey)).size).toBe(KNOWN_PLANS.length);
    for (const plan of KNOWN_PLANS) expect(plan.bin).toMatch(/^\d{6}$/);
  });
});
