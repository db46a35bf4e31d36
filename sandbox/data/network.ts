// The sample pharmacy network: generated once from a seed and kept as sandbox/data/pharmacies.csv,
// which `npm start` and the demo import like an operator's file. Production starts with none.
import { join } from 'node:path';
import {
  CITIES,
  type City,
  NEIGHBOURING_STATES,
  type PharmacyKind,
} from '../../src/domain/routing/cities.js';
import { US_STATES } from '../../src/domain/routing/geo.js';
import { npiCheckDigit } from '../../src/domain/routing/npi.js';
import type { PharmacyDetails } from '../../src/domain/routing/pharmacy.js';
import { type SeededRandom, seededRandom } from '../../src/domain/routing/prng.js';
import { projectRoot } from '../../src/platform/paths.js';
import { SAMPLE_DRUGS } from './drugs.js';
import { PLANS } from './plans.js';

export type SamplePharmacy = PharmacyDetails & { id: string };

/** The drug families some manufacturer restricts to named pharmacies, as the sample drugs name them. */
export const LIMITED_DISTRIBUTION_FAMILIES: readonly string[] = [
  ...new Set(
    Object.values(SAMPLE_DRUGS).flatMap((drug) =>
      drug.limitedDistribution ? [drug.limitedDistribution] : [],
    ),
  ),
].sort();

/** How each kind of pharmacy tends to look; the generator draws within these ranges. */
const PROFILES: Record<
  PharmacyKind,
  {
    suffixes: readonly string[];
    extraLicences: (home: string, random: SeededRandom) => string[];
    coldChain: number;
    frozen: number;
    limitedDistribution: number;
    /** How many of the plans open to it the pharmacy accepts; `all` for every one. */
    plans: [number, number] | 'all';
    capacity: [number, number];
    turnaround: readonly number[];
  }
> = {
  // Mail-order hubs: licensed everywhere, in every network, freezers and all, a day or two to ship.
  // They are why any patient on any plan can be served wherever the local pharmacies fall short.
  national: {
    suffixes: ['Specialty Pharmacy Services', 'Specialty Care Rx'],
    extraLicences: () => [...US_STATES],
    coldChain: 1,
    frozen: 1,
    limitedDistribution: 0.9,
    plans: 'all',
    capacity: [500, 900],
    turnaround: [24, 36, 48],
  },
  regional: {
    suffixes: ['Specialty Pharmacy', 'Infusion & Specialty Pharmacy', 'Specialty Rx'],
    extraLicences: (home, random) => {
      const neighbours = NEIGHBOURING_STATES[home] ?? [];
      return random.sample(neighbours, random.int(Math.min(2, neighbours.length), neighbours.length));
    },
    coldChain: 0.85,
    frozen: 0.3,
    limitedDistribution: 0.35,
    plans: [3, 5],
    capacity: [120, 300],
    turnaround: [24, 36, 48, 72],
  },
  // Hospital-owned: serve their own patients, close to home, fast.
  healthSystem: {
    suffixes: ['Health Specialty Pharmacy', 'Medical Center Specialty Pharmacy'],
    extraLicences: (home, random) =>
      random.chance(0.3) ? random.sample(NEIGHBOURING_STATES[home] ?? [], 1) : [],
    coldChain: 1,
    frozen: 0.6,
    limitedDistribution: 0.25,
    plans: [2, 4],
    capacity: [40, 140],
    turnaround: [8, 12, 24, 36],
  },
  community: {
    suffixes: ['Pharmacy', 'Apothecary', 'Drug & Wellness'],
    extraLicences: () => [],
    coldChain: 0.6,
    frozen: 0.1,
    limitedDistribution: 0,
    plans: [3, 5],
    capacity: [60, 180],
    turnaround: [4, 8, 12],
  },
};

const PREFIXES = (
  'Summit Riverside Keystone Harbor Meridian Cedar Pioneer Beacon Granite Liberty Northstar Bluewater Evergreen ' +
  'Copper Magnolia Prairie Lakeshore Sterling Crescent Orchard Heritage Willow Ironwood Silverline Bayview Redwood ' +
  'Fairhaven Stonebridge Clearwater Highland Juniper Maplewood Oakridge Pinecrest Quarry Sagebrush Tidewater Union ' +
  'Valley Westgate'
).split(' ');
const STREETS = [
  'Main',
  'Oak',
  'Market',
  'Broad',
  'High',
  'Elm',
  'Park',
  'Lake',
  'Church',
  'River',
  'Commerce',
  'Medical Center',
];
const STREET_TYPES = ['St', 'Ave', 'Blvd', 'Dr', 'Pkwy'];

const generateNpi = (random: SeededRandom, taken: Set<string>): string => {
  for (;;) {
    const base = `1${random.digits(8)}`;
    const npi = `${base}${npiCheckDigit(base)}`;
    if (!taken.has(npi)) return npi;
  }
};

const pharmacyAt = (
  city: City,
  kind: PharmacyKind,
  id: string,
  random: SeededRandom,
  taken: Set<string>,
): SamplePharmacy => {
  const profile = PROFILES[kind];
  const licensedStates = [...new Set([city.state, ...profile.extraLicences(city.state, random)])].sort();
  const eligiblePlans = PLANS.filter((plan) => !plan.state || licensedStates.includes(plan.state));
  const planCount =
    profile.plans === 'all'
      ? eligiblePlans.length
      : Math.min(eligiblePlans.length, random.int(...profile.plans));
  const capacityPerDay = random.int(...profile.capacity);
  const npi = generateNpi(random, taken);
  taken.add(npi);
  let ncpdpId = random.digits(7);
  while (taken.has(ncpdpId)) ncpdpId = random.digits(7);
  taken.add(ncpdpId);
  let name = `${random.pick(PREFIXES)} ${random.pick(profile.suffixes)}`;
  if (taken.has(name)) name = `${name} of ${city.city}`;
  taken.add(name);
  return {
    id,
    name,
    npi,
    ncpdpId,
    address: {
      line1: `${random.int(100, 9899)} ${random.pick(STREETS)} ${random.pick(STREET_TYPES)}`,
      city: city.city,
      state: city.state,
      postalCode: city.postalCode,
    },
    // Within a few km of the city centre.
    location: {
      lat: Math.round((city.lat + (random.next() - 0.5) * 0.08) * 1e4) / 1e4,
      lon: Math.round((city.lon + (random.next() - 0.5) * 0.08) * 1e4) / 1e4,
    },
    licensedStates,
    acceptedPlans: random
      .sample(eligiblePlans, planCount)
      .sort((a, b) => PLANS.indexOf(a) - PLANS.indexOf(b))
      .map(({ bin, pcn }) => ({ bin, pcn })),
    capabilities: {
      specialty: kind !== 'community',
      coldChain: random.chance(profile.coldChain),
      frozen: random.chance(profile.frozen),
      limitedDistribution: random.chance(profile.limitedDistribution)
        ? random
            .sample(LIMITED_DISTRIBUTION_FAMILIES, random.int(1, LIMITED_DISTRIBUTION_FAMILIES.length))
            .sort()
        : [],
    },
    capacityPerDay,
    turnaroundHours: random.pick(profile.turnaround),
  };
};

/** The default seed; any other seed gives another, equally plausible network. */
export const NETWORK_SEED = 20_260_101;

/** One pharmacy per entry of each city's list, ids numbered per state in city order: `PH-OH-01`. */
export const generateNetwork = (seed: number = NETWORK_SEED): SamplePharmacy[] => {
  const random = seededRandom(seed);
  const taken = new Set<string>();
  const perState = new Map<string, number>();
  return CITIES.flatMap((city) =>
    city.pharmacies.map((kind) => {
      const sequence = (perState.get(city.state) ?? 0) + 1;
      perState.set(city.state, sequence);
      return pharmacyAt(city, kind, `PH-${city.state}-${String(sequence).padStart(2, '0')}`, random, taken);
    }),
  );
};

/** Where the generated network is kept, in the operator's CSV layout (`npm run sample-network` writes it). */
export const SAMPLE_NETWORK_CSV = join(projectRoot, 'sandbox', 'data', 'pharmacies.csv');
