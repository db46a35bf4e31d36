import type { StorageClass } from '../catalogue/drug.js';
import { CITIES } from './cities.js';
import { type GeoPoint, haversineKm, stateCentroid } from './geo.js';
import type { Pharmacy, PlanRef } from './pharmacy.js';

export { type GeoPoint, stateCentroid } from './geo.js';

/** What routing must honour about the drug: its catalogue entry, classified (never a guess). */
export type RoutableDrug = {
  ndc11: string;
  storageClass: StorageClass;
  specialty: boolean;
  limitedDistribution: string | null;
};

/** A pharmacy as routing sees it: its managed details and the orders it has open right now. */
export type RoutablePharmacy = Pharmacy & { openOrders: number };

export type RoutingRequest = {
  patientState: string;
  patientLocation?: GeoPoint | undefined;
  patientPostalCode?: string | undefined;
  /** The member's pharmacy benefit, or null for a cash-pay patient. */
  plan: PlanRef | null;
  drug: RoutableDrug;
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

/** US routing: scored in km, told to US staff in miles. */
type PatientPosition = { point: GeoPoint; describe(miles: number): string };

const KM_PER_MILE = 1.609344;

/** The centre of a known city whose ZIP codes start with these three digits, in that state. */
const cityByZip3 = (state: string, postalCode: string | undefined) => {
  const zip3 = postalCode?.trim().slice(0, 3) ?? '';
  return /^\d{3}$/.test(zip3)
    ? CITIES.find((candidate) => candidate.state === state && candidate.postalCode.startsWith(zip3))
    : undefined;
};

/** Exact coordinates, else the ZIP3 area of a known city in the patient's state, else the state centre. */
const locatePatient = (request: RoutingRequest): PatientPosition | null => {
  const state = request.patientState.trim().toUpperCase();
  if (request.patientLocation) return { point: request.patientLocation, describe: (mi) => `${mi} mi away` };
  const city = cityByZip3(state, request.patientPostalCode);
  if (city)
    return {
      point: city,
      describe: (mi) => `≈${mi} mi away (ZIP ${request.patientPostalCode?.trim().slice(0, 3)}xx area)`,
    };
  const centroid = stateCentroid(state);
  return centroid ? { point: centroid, describe: (mi) => `≈${mi} mi from the center of ${state}` } : null;
};

/** A pharmacy entered without coordinates is placed like a patient: by its ZIP area, else its state. */
const locatePharmacy = (pharmacy: Pharmacy): GeoPoint | null =>
  pharmacy.location ??
  cityByZip3(pharmacy.address.state, pharmacy.address.postalCode) ??
  stateCentroid(pharmacy.address.state);

/** Whether the pharmacy can keep a drug of this storage class from its shelf to the patient's door. */
export const storesAt = (pharmacy: Pick<Pharmacy, 'capabilities'>, storageClass: StorageClass): boolean =>
  storageClass === 'ambient' ||
  (storageClass === 'refrigerated' && pharmacy.capabilities.coldChain) ||
  (storageClass === 'frozen' && pharmacy.capabilities.frozen);

const STORAGE_REASON: Record<StorageClass, string | null> = {
  ambient: null,
  refrigerated: 'Cold-chain capable (2–8 °C)',
  frozen: 'Freezer and dry-ice shipping',
};

type Requirements = {
  state: string;
  plan: PlanRef | null;
  storageClass: StorageClass;
  specialty: boolean;
  limitedDistribution: string | null;
};

const requirementsOf = (request: RoutingRequest): Requirements => ({
  state: request.patientState.trim().toUpperCase(),
  plan: request.plan,
  storageClass: request.drug.storageClass,
  specialty: request.drug.specialty,
  limitedDistribution: request.drug.limitedDistribution,
});

// PCNs are printed in varying case on member cards; BINs are digits.
const samePlan = (a: PlanRef, b: PlanRef) => a.bin === b.bin && a.pcn.toUpperCase() === b.pcn.toUpperCase();

/** Why the pharmacy may fill the prescription, or null when a hard requirement fails. */
const eligibility = (pharmacy: RoutablePharmacy, needs: Requirements, ndc11: string): string[] | null => {
  const { plan, limitedDistribution: drug } = needs;
  if (pharmacy.status !== 'active') return null;
  if (!pharmacy.licensedStates.includes(needs.state)) return null;
  if (plan && !pharmacy.acceptedPlans.some((accepted) => samePlan(accepted, plan))) return null;
  if (needs.specialty && !pharmacy.capabilities.specialty) return null;
  if (!storesAt(pharmacy, needs.storageClass)) return null;
  const access = pharmacy.capabilities.limitedDistribution.map((entry) => entry.toLowerCase());
  if (drug && !access.includes(drug.toLowerCase()) && !access.includes(ndc11)) return null;
  const storage = STORAGE_REASON[needs.storageClass];
  return [
    `Licensed in ${needs.state}`,
    plan
      ? `In network for BIN ${plan.bin} / PCN ${plan.pcn}`
      : 'No insurance plan: cash price, network not checked',
    ...(needs.specialty ? ['Specialty pharmacy'] : []),
    ...(storage ? [storage] : []),
    ...(drug ? [`Limited-distribution access for ${drug}`] : []),
  ];
};

const scored = (
  pharmacy: RoutablePharmacy,
  patient: PatientPosition | null,
): { points: number; reasons: string[] } => {
  const reasons: string[] = [];
  let distancePoints = SCORE_WEIGHTS.distance / 2; // unknown whereabouts: neither near nor far
  const where = locatePharmacy(pharmacy);
  if (patient && where) {
    const km = Math.round(haversineKm(patient.point, where));
    distancePoints = SCORE_WEIGHTS.distance * clamp01(1 - km / DISTANCE_CUTOFF_KM);
    reasons.push(
      `${patient.describe(Math.round(km / KM_PER_MILE))}${km > DISTANCE_CUTOFF_KM / 2 ? ' — far' : ''}`,
    );
  } else reasons.push('Distance unknown');

  // Open orders are the ones selected for this pharmacy and not yet shipped: its real queue.
  const utilisation = pharmacy.capacityPerDay > 0 ? pharmacy.openOrders / pharmacy.capacityPerDay : 1;
  const percent = Math.round(utilisation * 100);
  const capacityNote = utilisation >= 1 ? ' — over capacity' : utilisation >= 0.9 ? ' — little headroom' : '';
  reasons.push(
    `${pharmacy.openOrders} open order${pharmacy.openOrders === 1 ? '' : 's'} for ${pharmacy.capacityPerDay} a day (${percent}%)${capacityNote}`,
  );

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
 * The pharmacies that may fill this prescription, best first: hard requirements filter (active,
 * licence in the patient's state, plan network, specialty, storage for the drug's class,
 * limited-distribution access), then a 0–100 score ranks. Ties on the shown score go to the lower
 * id, so the order never flickers.
 */
export const rankPharmacies = (
  network: readonly RoutablePharmacy[],
  request: RoutingRequest,
  options: { limit?: number } = {},
): Recommendation[] => {
  const needs = requirementsOf(request);
  const patient = locatePatient(request);
  const ndc11 = request.drug.ndc11;
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
