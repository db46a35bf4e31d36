import { type Decider, DomainError } from '../decider.js';
import { type GeoPoint, US_STATES } from './geo.js';
import { isValidNpi } from './npi.js';

/** A pharmacy benefit plan as printed on a member's card. */
export type PlanRef = { bin: string; pcn: string };

/** What the operator manages about one pharmacy of the network. */
export type PharmacyDetails = {
  name: string;
  npi: string;
  ncpdpId: string | null;
  address: { line1: string; city: string; state: string; postalCode: string };
  /** Where it is, when known; otherwise routing estimates from the ZIP code or the state. */
  location: GeoPoint | null;
  licensedStates: string[];
  acceptedPlans: PlanRef[];
  capabilities: {
    specialty: boolean;
    /** Refrigerated storage (2–8 °C) and cold-chain packing. */
    coldChain: boolean;
    /** Freezer storage and dry-ice packing. */
    frozen: boolean;
    /** Drug families (or NDC-11s) the manufacturer lets this pharmacy dispense. */
    limitedDistribution: string[];
  };
  /** Prescriptions it can fill a day; routing compares its open orders with this. */
  capacityPerDay: number;
  turnaroundHours: number;
};

export type PharmacyStatus = 'active' | 'suspended';

export type Pharmacy = PharmacyDetails & {
  id: string;
  status: PharmacyStatus;
  /** Why and since when, while suspended. */
  suspension: { reason: string; since: string; by: string } | null;
};

type Change = { from: unknown; to: unknown };

export type PharmacyEvent =
  | { type: 'PharmacyRegistered'; data: PharmacyDetails & { id: string } }
  | {
      type: 'PharmacyDetailsChanged';
      data: { id: string; changes: Record<string, Change>; details: PharmacyDetails };
    }
  | { type: 'PharmacySuspended'; data: { id: string; reason: string } }
  | { type: 'PharmacyReinstated'; data: { id: string; reason: string } };

export type PharmacyCommand =
  | { type: 'RegisterPharmacy'; id: string; details: PharmacyDetails }
  | { type: 'ChangePharmacyDetails'; details: PharmacyDetails }
  /** One row of an imported list: registered when new, brought up to date otherwise. */
  | { type: 'ImportPharmacy'; id: string; details: PharmacyDetails }
  | { type: 'SuspendPharmacy'; reason: string }
  | { type: 'ReinstatePharmacy'; reason: string };

export type PharmacyState = {
  id: string | null;
  details: PharmacyDetails | null;
  status: PharmacyStatus;
};

export const pharmacyStream = (id: string) => `pharmacy-${id}`;

export const PHARMACY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/;

const PHARMACY_EVENT_TYPES = [
  'PharmacyRegistered',
  'PharmacyDetailsChanged',
  'PharmacySuspended',
  'PharmacyReinstated',
] as const;
/** Every change to the network: routing looks again at orders that found no pharmacy. */
export const NETWORK_EVENT_TYPES = PHARMACY_EVENT_TYPES;

export type PharmacyProblem = { field: string; message: string };

/** Every fault in a pharmacy's details, so a form or an imported row can be put right in one go. */
export const pharmacyProblems = (details: PharmacyDetails): PharmacyProblem[] => {
  const problems: PharmacyProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (details.name.trim().length < 2) add('name', 'name is required');
  if (!isValidNpi(details.npi))
    add('npi', `NPI ${details.npi} is not 10 digits starting 1 or 2 with a valid check digit`);
  if (details.ncpdpId !== null && !/^\d{7}$/.test(details.ncpdpId))
    add('ncpdpId', 'NCPDP id must be 7 digits');
  if (details.address.line1.trim() === '') add('address.line1', 'street address is required');
  if (details.address.city.trim() === '') add('address.city', 'city is required');
  if (!US_STATES.includes(details.address.state))
    add('address.state', `${details.address.state} is not a US state code`);
  if (!/^\d{5}(-\d{4})?$/.test(details.address.postalCode))
    add('address.postalCode', 'ZIP code must be 5 digits (or ZIP+4)');
  const unknownStates = details.licensedStates.filter((state) => !US_STATES.includes(state));
  if (unknownStates.length > 0) add('licensedStates', `not US state codes: ${unknownStates.join(', ')}`);
  if (!details.licensedStates.includes(details.address.state))
    add('licensedStates', `must include the pharmacy's own state ${details.address.state}`);
  for (const plan of details.acceptedPlans) {
    if (!/^\d{6}$/.test(plan.bin)) add('acceptedPlans', `BIN ${plan.bin} must be 6 digits`);
    if (!/^[A-Za-z0-9]{1,10}$/.test(plan.pcn))
      add('acceptedPlans', `PCN ${plan.pcn} must be 1–10 letters or digits`);
  }
  if (
    !Number.isInteger(details.capacityPerDay) ||
    details.capacityPerDay < 1 ||
    details.capacityPerDay > 100_000
  )
    add('capacityPerDay', 'daily capacity must be a whole number from 1 to 100000');
  if (
    !Number.isInteger(details.turnaroundHours) ||
    details.turnaroundHours < 1 ||
    details.turnaroundHours > 720
  )
    add('turnaroundHours', 'turnaround must be a whole number of hours from 1 to 720');
  const { location } = details;
  if (location && (Math.abs(location.lat) > 90 || Math.abs(location.lon) > 180))
    add('location', 'latitude must be within ±90 and longitude within ±180');
  return problems;
};

const requireValid = (details: PharmacyDetails) => {
  const problems = pharmacyProblems(details);
  if (problems.length > 0)
    throw new DomainError('invalid', 'PHARMACY_INVALID', problems.map((p) => p.message).join('; '), {
      problems,
    });
};

/**
 * JSON with object keys sorted: stored events come back from PostgreSQL's jsonb with their keys
 * in its own order, and two equal addresses must still compare equal.
 */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** Field-by-field differences; lists and nested objects compare by value. */
const changesBetween = (before: PharmacyDetails, after: PharmacyDetails): Record<string, Change> => {
  const changes: Record<string, Change> = {};
  for (const key of Object.keys(after) as (keyof PharmacyDetails)[]) {
    if (canonical(before[key]) !== canonical(after[key]))
      changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
};

const requireReason = (reason: string) => {
  if (reason.trim().length < 3) throw new DomainError('invalid', 'REASON_REQUIRED', 'say briefly why');
};

const decide = (command: PharmacyCommand, state: PharmacyState): PharmacyEvent[] => {
  switch (command.type) {
    case 'RegisterPharmacy':
      if (!PHARMACY_ID.test(command.id))
        throw new DomainError('invalid', 'PHARMACY_INVALID', 'pharmacy id: 2–40 letters, digits or hyphens');
      if (state.details)
        throw new DomainError('conflict', 'PHARMACY_EXISTS', `pharmacy ${command.id} already exists`);
      requireValid(command.details);
      return [{ type: 'PharmacyRegistered', data: { id: command.id, ...command.details } }];

    case 'ImportPharmacy':
      if (!state.details) return decide({ ...command, type: 'RegisterPharmacy' }, state);
      return decide({ type: 'ChangePharmacyDetails', details: command.details }, state);

    case 'ChangePharmacyDetails': {
      if (!state.details || !state.id)
        throw new DomainError('not_found', 'PHARMACY_NOT_FOUND', 'no such pharmacy');
      requireValid(command.details);
      const changes = changesBetween(state.details, command.details);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'PharmacyDetailsChanged', data: { id: state.id, changes, details: command.details } }];
    }

    case 'SuspendPharmacy':
      if (!state.id) throw new DomainError('not_found', 'PHARMACY_NOT_FOUND', 'no such pharmacy');
      requireReason(command.reason);
      if (state.status === 'suspended') return [];
      return [{ type: 'PharmacySuspended', data: { id: state.id, reason: command.reason.trim() } }];

    case 'ReinstatePharmacy':
      if (!state.id) throw new DomainError('not_found', 'PHARMACY_NOT_FOUND', 'no such pharmacy');
      requireReason(command.reason);
      if (state.status === 'active') return [];
      return [{ type: 'PharmacyReinstated', data: { id: state.id, reason: command.reason.trim() } }];
  }
};

/**
 * Registrations written before capabilities named freezers (and with a random `currentLoad`) read
 * as pharmacies without a freezer; the load is never taken from an event.
 */
export const detailsFromRegistration = (data: PharmacyEvent['data'] & Record<string, unknown>) => {
  const registered = data as PharmacyDetails & { id: string };
  return {
    name: registered.name,
    npi: registered.npi,
    ncpdpId: registered.ncpdpId ?? null,
    address: registered.address,
    location: registered.location ?? null,
    licensedStates: registered.licensedStates,
    acceptedPlans: registered.acceptedPlans,
    capabilities: {
      specialty: registered.capabilities.specialty,
      coldChain: registered.capabilities.coldChain,
      frozen: registered.capabilities.frozen ?? false,
      limitedDistribution: registered.capabilities.limitedDistribution ?? [],
    },
    capacityPerDay: registered.capacityPerDay,
    turnaroundHours: registered.turnaroundHours,
  } satisfies PharmacyDetails;
};

const evolve = (state: PharmacyState, event: PharmacyEvent): PharmacyState => {
  switch (event.type) {
    case 'PharmacyRegistered':
      return { id: event.data.id, details: detailsFromRegistration(event.data), status: 'active' };
    case 'PharmacyDetailsChanged':
      return { ...state, details: event.data.details };
    case 'PharmacySuspended':
      return { ...state, status: 'suspended' };
    case 'PharmacyReinstated':
      return { ...state, status: 'active' };
    default:
      return state;
  }
};

export const pharmacyDecider: Decider<PharmacyState, PharmacyCommand, PharmacyEvent> = {
  decide,
  evolve,
  initialState: () => ({ id: null, details: null, status: 'active' }),
};
