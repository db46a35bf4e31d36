import type { RoutablePharmacy, RoutingRequest } from '../../../src/domain/routing/rank.js';

/** Columbus, OH: where the fixture patient lives unless a test moves them. */
export const COLUMBUS = { lat: 39.9612, lon: -82.9988 };
export const COMMERCIAL_A = { bin: '610014', pcn: 'CommPlanA' };

/** A pharmacy that passes every filter for an OH patient on CommPlanA; tests change one thing. */
export const pharmacy = (id: string, overrides: Partial<RoutablePharmacy> = {}): RoutablePharmacy => ({
  id,
  name: `Test ${id}`,
  npi: '1234567893',
  ncpdpId: '1234567',
  address: { line1: '1 Main St', city: 'Columbus', state: 'OH', postalCode: '43215' },
  location: COLUMBUS,
  licensedStates: ['OH'],
  acceptedPlans: [COMMERCIAL_A],
  capabilities: { specialty: true, coldChain: true, frozen: true, limitedDistribution: [] },
  capacityPerDay: 100,
  turnaroundHours: 24,
  status: 'active',
  suspension: null,
  openOrders: 50,
  ...overrides,
});

/** The capabilities of the fixture pharmacy with one thing changed. */
export const capabilities = (overrides: Partial<RoutablePharmacy['capabilities']>) => ({
  specialty: true,
  coldChain: true,
  frozen: true,
  limitedDistribution: [],
  ...overrides,
});

/** Adalimumab (refrigerated specialty) for an OH patient in Columbus on CommPlanA. */
export const request: RoutingRequest = {
  patientState: 'OH',
  patientLocation: COLUMBUS,
  plan: COMMERCIAL_A,
  drug: { ndc11: '00074055402', storageClass: 'refrigerated', specialty: true, limitedDistribution: null },
};
