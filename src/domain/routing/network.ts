import { CITIES, type City, NEIGHBOURING_STATES, type PharmacyKind } from './cities.js';
import { LIMITED_DISTRIBUTION_FAMILIES } from './drugs.js';
import { type GeoPoint, US_STATES } from './geo.js';
import { npiCheckDigit } from './npi.js';
import { type SeededRandom, seededRandom } from './prng.js';

export type PlanRef = { bin: string; pcn: string };

export type KnownPlan = PlanRef & {
  name: string;
  kind: 'commercial' | 'medicare' | 'medicaid';
  /** A Medicaid plan belongs to one state; only pharmacies licensed there join its network. */
  state?: string;
};

/**
 * The pharmacy benefit plans of the synthetic world, by BIN/PCN as printed on a member's card.
 * The payer stand-in adjudicates claims for exactly these pairs; plan names are fictional.
 */
export const KNOWN_PLANS = [
  { bin: '610014', pcn: 'CommPlanA', name: 'Keystone Commercial PPO', kind: 'commercial' },
  { bin: '610020', pcn: 'CommPlanB', name: 'Lakeshore Health HMO', kind: 'commercial' },
  { bin: '004336', pcn: 'CommPlanC', name: 'Summit Employer Choice', kind: 'commercial' },
  { bin: '610097', pcn: 'MedDPlanA', name: 'Meridian Medicare Part D Basic', kind: 'medicare' },
  { bin: '015581', pcn: 'MedDPlanB', name: 'Evergreen Medicare Advantage Rx', kind: 'medicare' },
  { bin: '610084', pcn: 'MedicaidOH', name: 'Buckeye Medicaid Managed Care', kind: 'medicaid', state: 'OH' },
] as const satisfies readonly KnownPlan[];

export type Pharmacy = {
  id: string;
  name: string;
  npi: string;
  ncpdpId: string;
  address: { line1: string; city: string; state: string; postalCode: string };
  location: GeoPoint;
  licensedStates: string[];
  acceptedPlans: PlanRef[];
  capabilities: {
    specialty: boolean;
    coldChain: boolean;
    /** Drug families (or NDC-11s) the manufacturer lets this pharmacy dispense. */
    limitedDistribution: string[];
  };
  capacityPerDay: number;
  currentLoad: number;
  turnaroundHours: number;
};

/** How each kind of pharmacy tends to look; the generator draws within these ranges. */
const PROFILES: Record<
  PharmacyKind,
  {
    suffixes: readonly string[];
    extraLicences: (home: string, random: SeededRandom) => string[];
    coldChain: number;
    limitedDistribution: number;
    plans: [number, number];
    capacity: [number, number];
    turnaround: readonly number[];
  }
> = {
  // Mail-order hubs: licensed everywhere, large, a day or two to ship.
  national: {
    suffixes: ['Specialty Pharmacy Services', 'Specialty Care Rx'],
    extraLicences: () => [...US_STATES],
    coldChain: 1,
    limitedDistribution: 0.9,
    plans: [4, 5],
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
    limitedDistribution: 0.25,
    plans: [2, 4],
    capacity: [40, 140],
    turnaround: [8, 12, 24, 36],
  },
  community: {
    suffixes: ['Pharmacy', 'Apothecary', 'Drug & Wellness'],
    extraLicences: () => [],
    coldChain: 0.6,
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
): Pharmacy => {
  const profile = PROFILES[kind];
  const licensedStates = [...new Set([city.state, ...profile.extraLicences(city.state, random)])].sort();
  const eligiblePlans = KNOWN_PLANS.filter(
    (plan) => !('state' in plan) || licensedStates.includes(plan.state),
  );
  const planCount = Math.min(eligiblePlans.length, random.int(...profile.plans));
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
      .sort((a, b) => KNOWN_PLANS.indexOf(a) - KNOWN_PLANS.indexOf(b))
      .map(({ bin, pcn }) => ({ bin, pcn })),
    capabilities: {
      specialty: kind !== 'community',
      coldChain: random.chance(profile.coldChain),
      limitedDistribution: random.chance(profile.limitedDistribution)
        ? random
            .sample(LIMITED_DISTRIBUTION_FAMILIES, random.int(1, LIMITED_DISTRIBUTION_FAMILIES.length))
            .sort()
        : [],
    },
    capacityPerDay,
    currentLoad: Math.round(capacityPerDay * (0.2 + random.next() * 0.78)),
    turnaroundHours: random.pick(profile.turnaround),
  };
};

/** The default seed; any other seed gives another, equally plausible network. */
export const NETWORK_SEED = 20_260_101;

/** One pharmacy per entry of each city's list, ids numbered per state in city order: `PH-OH-01`. */
export const generateNetwork = (seed: number = NETWORK_SEED): Pharmacy[] => {
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

/** The synthetic US specialty network (84 pharmacies in 17 states) every environment routes against. */
export const PHARMACY_NETWORK: readonly Pharmacy[] = generateNetwork();
