import { CITIES } from './cities.js';
import { drugProfile } from './drugs.js';
import { type GeoPoint, haversineKm, stateCentroid } from './geo.js';
import type { Pharmacy, PlanRef } from './network.js';

export { type DrugProfile, drugProfile } from './drugs.js';
export { type GeoPoint, stateCentroid } from './geo.js';

export type RoutingRequest = {
  patientState: string;
  patientLocation?: GeoPoint | undefined;
  patientPostalCode?: string | undefined;
  /** The member's pharmacy benefit, or null for a cash-pay patient. */
  plan: PlanRef | null;
  ndc11: string;
  requiresColdChain: boolean;
  isSpecialty: boolean;
  limitedDistributionDrug?: string | undefined;
};

export type Recommendation = { pharmacyId: string; name: string; score: number; reasons: string[] };

/**
 * Points out of 100 among pharmacies that may fill the prescription at all. Capacity and speed
 * together outweigh nearness because specialty drugs ship overnight from almost anywhere; nearness
 * still matters for cold-chain transit and for a patient who wants to pick up.
 */
export const SCORE_WEIGHTS = { distance: 40, capacity: 35, turnaround: 25 } as const;
/** Nearness earns nothing beyond this: overnight shipping reaches any farther patient equally. */
const DISTANCE_CUTOFF_KM = 2000;
/** Same-day fills earn every turnaround point; three days or more earn none. */
const TURNAROUND_BEST_HOURS = 4;
const TURNAROUND_WORST_HOURS = 72;
const DEFAULT_LIMIT = 5;

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const round1 = (value: number) => Math.round(value * 10) / 10;

type PatientPosition = { point: GeoPoint; describe(km: number): string };

/** Exact coordinates, else the ZIP3 area of a known city in the patient's state, else the state centre. */
const locatePatient = (request: RoutingRequest): PatientPosition | null => {
  const state = request.patientState.trim().toUpperCase();
  if (request.patientLocation) return { point: request.patientLocation, describe: (km) => `${km} km away` };
  const zip3 = request.patientPostalCode?.trim().slice(0, 3) ?? '';
  const city = /^\d{3}$/.test(zip3)
    ? CITIES.find((candidate) => candidate.state === state && candidate.postalCode.startsWith(zip3))
    : undefined;
  if (city) return { point: city, describe: (km) => `≈${km} km away (ZIP ${zip3}xx area)` };
  const centroid = stateCentroid(state);
  return centroid ? { point: centroid, describe: (km) => `≈${km} km from the centre of ${state}` } : null;
};

type Requirements = {
  state: string;
  plan: PlanRef | null;
  coldChain: boolean;
  specialty: boolean;
  limitedDistribution: string | null;
};

/**
 * What the drug needs is the union of what the caller says and what the drug table knows, so a
 * caller that forgets a flag cannot route a refrigerated drug to a pharmacy without a fridge.
 */
const requirementsOf = (request: RoutingRequest): Requirements => {
  const drug = drugProfile(request.ndc11);
  return {
    state: request.patientState.trim().toUpperCase(),
    plan: request.plan,
    coldChain: request.requiresColdChain || drug.requiresColdChain,
    specialty: request.isSpecialty || drug.isSpecialty,
    limitedDistribution: request.limitedDistributionDrug ?? drug.limitedDistribution,
  };
};

// PCNs are printed in varying case on member cards; BINs are digits.
const samePlan = (a: PlanRef, b: PlanRef) => a.bin === b.bin && a.pcn.toUpperCase() === b.pcn.toUpperCase();

/** Why the pharmacy may fill the prescription, or null when a hard requirement fails. */
const eligibility = (pharmacy: Pharmacy, needs: Requirements, ndc11: string): string[] | null => {
  const { plan, limitedDistribution: drug } = needs;
  if (!pharmacy.licensedStates.includes(needs.state)) return null;
  if (plan && !pharmacy.acceptedPlans.some((accepted) => samePlan(accepted, plan))) return null;
  if (needs.specialty && !pharmacy.capabilities.specialty) return null;
  if (needs.coldChain && !pharmacy.capabilities.coldChain) return null;
  const access = pharmacy.capabilities.limitedDistribution.map((entry) => entry.toLowerCase());
  if (drug && !access.includes(drug.toLowerCase()) && !access.includes(ndc11)) return null;
  return [
    `Licensed in ${needs.state}`,
    plan
      ? `In network for BIN ${plan.bin} / PCN ${plan.pcn}`
      : 'No insurance plan: cash price, network not checked',
    ...(needs.specialty ? ['Specialty pharmacy'] : []),
    ...(needs.coldChain ? ['Cold-chain capable'] : []),
    ...(drug ? [`Limited-distribution access for ${drug}`] : []),
  ];
};

const scored = (
  pharmacy: Pharmacy,
  patient: PatientPosition | null,
): { points: number; reasons: string[] } => {
  const reasons: string[] = [];
  let distancePoints = SCORE_WEIGHTS.distance / 2; // unknown whereabouts: neither near nor far
  if (patient) {
    const km = Math.round(haversineKm(patient.point, pharmacy.location));
    distancePoints = SCORE_WEIGHTS.distance * clamp01(1 - km / DISTANCE_CUTOFF_KM);
    reasons.push(`${patient.describe(km)}${km > DISTANCE_CUTOFF_KM / 2 ? ' — far' : ''}`);
  } else reasons.push('Distance unknown');

  const utilisation = pharmacy.capacityPerDay > 0 ? pharmacy.currentLoad / pharmacy.capacityPerDay : 1;
  const percent = Math.round(utilisation * 100);
  const capacityNote = utilisation >= 1 ? ' — over capacity' : utilisation >= 0.9 ? ' — little headroom' : '';
  reasons.push(`At ${percent}% of daily capacity${capacityNote}`);

  const hours = pharmacy.turnaroundHours;
  const turnaroundShare = (TURNAROUND_WORST_HOURS - hours) / (TURNAROUND_WORST_HOURS - TURNAROUND_BEST_HOURS);
  reasons.push(`Turnaround ${hours} h${hours >= 48 ? ' — slow' : ''}`);

  return {
    points:
      distancePoints +
      SCORE_WEIGHTS.capacity * clamp01(1 - utilisation) +
      SCORE_WEIGHTS.turnaround * clamp01(turnaroundShare),
    reasons,
  };
};

/**
 * The pharmacies that may fill this prescription, best first: hard requirements filter (licence in
 * the patient's state, plan network, specialty, cold chain, limited-distribution access), then a
 * 0–100 score ranks. Ties on the shown score go to the lower id, so the order never flickers.
 */
export const rankPharmacies = (
  network: readonly Pharmacy[],
  request: RoutingRequest,
  options: { limit?: number } = {},
): Recommendation[] => {
  const needs = requirementsOf(request);
  const patient = locatePatient(request);
  const ndc11 = drugProfile(request.ndc11).ndc11;
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  return network
    .flatMap((pharmacy) => {
      const eligible = eligibility(pharmacy, needs, ndc11);
      if (!eligible) return [];
      const { points, reasons } = scored(pharmacy, patient);
      return [
        {
          pharmacyId: pharmacy.id,
          name: pharmacy.name,
          score: round1(points),
          reasons: [...eligible, ...reasons],
        },
      ];
    })
    .sort(
      (a, b) => b.score - a.score || (a.pharmacyId < b.pharmacyId ? -1 : a.pharmacyId > b.pharmacyId ? 1 : 0),
    )
    .slice(0, limit);
};
