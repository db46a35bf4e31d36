import { type Decider, DomainError } from '../decider.js';

/**
 * How a product must be kept from the pharmacy's shelf to the patient's door. There is no default:
 * a product without one is not dispensed until a pharmacist has said which it is.
 */
export const STORAGE_CLASSES = ['ambient', 'refrigerated', 'frozen'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export const STORAGE_CLASS_LABELS: Record<StorageClass, string> = {
  ambient: 'Room temperature (20–25 °C)',
  refrigerated: 'Refrigerated (2–8 °C)',
  frozen: 'Frozen (−25 to −15 °C or colder)',
};

/** Controlled-substance schedules as the FDA directory prints them. */
export const DEA_SCHEDULES = ['CI', 'CII', 'CIII', 'CIV', 'CV'] as const;
export type DeaSchedule = (typeof DEA_SCHEDULES)[number];

/** What the FDA NDC Directory (or an admin) says about a package: descriptive, never clinical. */
export type DrugListing = {
  proprietaryName: string | null;
  genericName: string | null;
  strength: string | null;
  dosageForm: string | null;
  route: string | null;
  labeler: string | null;
  packageDescription: string | null;
  deaSchedule: DeaSchedule | null;
};

/** What the pharmacy decides about handling the product: set by a pharmacist or an admin. */
export type DrugHandling = {
  storageClass: StorageClass | null;
  specialty: boolean;
  /** The drug family the manufacturer restricts to named pharmacies; null when distribution is open. */
  limitedDistribution: string | null;
  /** Dispensed under a REMS programme (extra checks before each fill). */
  rems: boolean;
};

export type Drug = { ndc11: string } & DrugListing & DrugHandling;

export type DrugSource = 'admin' | 'pharmacist' | 'fda_directory';

export const LISTING_FIELDS = [
  'proprietaryName',
  'genericName',
  'strength',
  'dosageForm',
  'route',
  'labeler',
  'packageDescription',
  'deaSchedule',
] as const satisfies readonly (keyof DrugListing)[];

export const HANDLING_FIELDS = [
  'storageClass',
  'specialty',
  'limitedDistribution',
  'rems',
] as const satisfies readonly (keyof DrugHandling)[];

type Change<T> = { from: T; to: T };
export type ListingChanges = { [K in keyof DrugListing]?: Change<DrugListing[K]> };
export type HandlingChanges = { [K in keyof DrugHandling]?: Change<DrugHandling[K]> };

export type DrugEvent =
  | { type: 'DrugAdded'; data: { drug: Drug; source: DrugSource } }
  | { type: 'DrugListingUpdated'; data: { ndc11: string; changes: ListingChanges; source: DrugSource } }
  | {
      type: 'DrugClassified';
      data: {
        ndc11: string;
        storageClass: StorageClass;
        changes: HandlingChanges;
        reason: string;
        source: DrugSource;
      };
    };

export type DrugCommand =
  | { type: 'AddDrug'; drug: Drug; source: DrugSource }
  | { type: 'UpdateListing'; ndc11: string; listing: Partial<DrugListing>; source: DrugSource }
  | {
      type: 'ClassifyDrug';
      ndc11: string;
      handling: DrugHandling & { storageClass: StorageClass };
      reason: string;
      source: DrugSource;
      /** Needed when the NDC is not in the catalogue yet: the product is added as it is classified. */
      listing?: DrugListing;
    }
  /** One package of a directory file: added when new, its listing brought up to date otherwise. */
  | { type: 'ImportListing'; ndc11: string; listing: DrugListing };

export type DrugState = { drug: Drug | null };

export const drugStream = (ndc11: string) => `drug-${ndc11}`;

const EMPTY_LISTING: DrugListing = {
  proprietaryName: null,
  genericName: null,
  strength: null,
  dosageForm: null,
  route: null,
  labeler: null,
  packageDescription: null,
  deaSchedule: null,
};

/** Imported products arrive with no handling decided: a pharmacist classifies them. */
export const UNCLASSIFIED: DrugHandling = {
  storageClass: null,
  specialty: false,
  limitedDistribution: null,
  rems: false,
};

/** A name a person can recognise the product by: brand, then generic, then the NDC itself. */
export const drugName = (drug: Pick<Drug, 'ndc11' | 'proprietaryName' | 'genericName' | 'strength'>) => {
  const name = drug.proprietaryName ?? drug.genericName;
  return name ? [name, drug.strength].filter(Boolean).join(' ') : `NDC ${drug.ndc11}`;
};

const requireNdc11 = (ndc11: string) => {
  if (!/^\d{11}$/.test(ndc11))
    throw new DomainError(
      'invalid',
      'NDC_INVALID',
      `NDC ${JSON.stringify(ndc11)} is not an 11-digit NDC (5-4-2)`,
    );
};

const requireName = (listing: Pick<DrugListing, 'proprietaryName' | 'genericName'>) => {
  if (!listing.proprietaryName && !listing.genericName)
    throw new DomainError(
      'invalid',
      'DRUG_NAME_REQUIRED',
      'give the proprietary or the generic name of the product',
    );
};

const diff = <T extends object>(current: T, wanted: Partial<T>, fields: readonly (keyof T)[]) => {
  const changes: { [K in keyof T]?: Change<T[K]> } = {};
  for (const field of fields) {
    const to = wanted[field];
    if (to === undefined || to === current[field]) continue;
    changes[field] = { from: current[field], to: to as T[typeof field] };
  }
  return changes;
};

const isEmpty = (changes: object) => Object.keys(changes).length === 0;

const requireDrug = (state: DrugState, ndc11: string): Drug => {
  if (!state.drug)
    throw new DomainError('not_found', 'DRUG_NOT_FOUND', `NDC ${ndc11} is not in the drug catalogue`);
  return state.drug;
};

const decide = (command: DrugCommand, state: DrugState): DrugEvent[] => {
  switch (command.type) {
    case 'AddDrug': {
      requireNdc11(command.drug.ndc11);
      requireName(command.drug);
      if (state.drug)
        throw new DomainError(
          'conflict',
          'DRUG_EXISTS',
          `NDC ${command.drug.ndc11} is already in the catalogue`,
        );
      return [{ type: 'DrugAdded', data: { drug: command.drug, source: command.source } }];
    }

    case 'UpdateListing': {
      const drug = requireDrug(state, command.ndc11);
      requireName({ ...drug, ...command.listing });
      const changes = diff<DrugListing>(drug, command.listing, LISTING_FIELDS);
      if (isEmpty(changes)) return [];
      return [{ type: 'DrugListingUpdated', data: { ndc11: drug.ndc11, changes, source: command.source } }];
    }

    case 'ImportListing': {
      requireNdc11(command.ndc11);
      if (!state.drug) {
        requireName(command.listing);
        return [
          {
            type: 'DrugAdded',
            data: {
              drug: { ndc11: command.ndc11, ...command.listing, ...UNCLASSIFIED },
              source: 'fda_directory',
            },
          },
        ];
      }
      const changes = diff<DrugListing>(state.drug, command.listing, LISTING_FIELDS);
      if (isEmpty(changes)) return [];
      return [
        { type: 'DrugListingUpdated', data: { ndc11: command.ndc11, changes, source: 'fda_directory' } },
      ];
    }

    case 'ClassifyDrug': {
      requireNdc11(command.ndc11);
      if (command.reason.trim().length < 3)
        throw new DomainError(
          'invalid',
          'REASON_REQUIRED',
          'say briefly why (e.g. "labelling: store at 2–8 °C")',
        );
      const added: DrugEvent[] = [];
      let drug = state.drug;
      if (!drug) {
        if (!command.listing)
          throw new DomainError(
            'not_found',
            'DRUG_NOT_FOUND',
            `NDC ${command.ndc11} is not in the catalogue: give its name to add it as you classify it`,
          );
        requireName(command.listing);
        drug = { ndc11: command.ndc11, ...command.listing, ...UNCLASSIFIED };
        added.push({ type: 'DrugAdded', data: { drug, source: command.source } });
      }
      const changes = diff<DrugHandling>(drug, command.handling, HANDLING_FIELDS);
      if (isEmpty(changes)) return added;
      return [
        ...added,
        {
          type: 'DrugClassified',
          data: {
            ndc11: drug.ndc11,
            storageClass: command.handling.storageClass,
            changes,
            reason: command.reason.trim(),
            source: command.source,
          },
        },
      ];
    }
  }
};

const applyChanges = <T extends object>(target: T, changes: { [K in keyof T]?: Change<T[K]> }): T => {
  const next = { ...target };
  for (const [field, change] of Object.entries(changes) as [keyof T, Change<T[keyof T]>][])
    next[field] = change.to;
  return next;
};

/** Folds one event onto a catalogue entry; the read model and the decider share it. */
export const applyDrugEvent = (drug: Drug | null, event: DrugEvent): Drug | null => {
  switch (event.type) {
    case 'DrugAdded':
      return { ...EMPTY_LISTING, ...UNCLASSIFIED, ...event.data.drug };
    case 'DrugListingUpdated':
      return drug && applyChanges<Drug>(drug, event.data.changes as never);
    case 'DrugClassified':
      return drug && applyChanges<Drug>(drug, event.data.changes as never);
    default:
      return drug;
  }
};

export const drugDecider: Decider<DrugState, DrugCommand, DrugEvent> = {
  decide,
  evolve: (state, event) => ({ drug: applyDrugEvent(state.drug, event) }),
  initialState: () => ({ drug: null }),
};
