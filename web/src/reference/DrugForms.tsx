import { type FormEvent, useId, useState } from 'react';
import { ProblemMessage } from '../ui/components.js';
import { orNull, useSave } from './shared.js';
import {
  type CatalogueEntry,
  DEA_SCHEDULES,
  type DrugListing,
  STORAGE_CLASSES,
  STORAGE_LABELS,
  type StorageClass,
} from './types.js';

type ListingValues = Record<keyof DrugListing, string>;
const LISTING_LABELS: [keyof DrugListing, string][] = [
  ['proprietaryName', 'Proprietary (brand) name'],
  ['genericName', 'Generic name'],
  ['strength', 'Strength'],
  ['dosageForm', 'Dosage form'],
  ['route', 'Route'],
  ['labeler', 'Labeler'],
  ['packageDescription', 'Package'],
];

const listingValues = (entry: Partial<DrugListing> | null): ListingValues => ({
  proprietaryName: entry?.proprietaryName ?? '',
  genericName: entry?.genericName ?? '',
  strength: entry?.strength ?? '',
  dosageForm: entry?.dosageForm ?? '',
  route: entry?.route ?? '',
  labeler: entry?.labeler ?? '',
  packageDescription: entry?.packageDescription ?? '',
  deaSchedule: entry?.deaSchedule ?? '',
});

const listingBody = (values: ListingValues) => ({
  ...Object.fromEntries(LISTING_LABELS.map(([key]) => [key, orNull(values[key])])),
  deaSchedule: orNull(values.deaSchedule),
});

/** The descriptive fields of a product: names, strength, form, schedule. */
const ListingFields = ({
  idBase,
  values,
  onChange,
  fields = LISTING_LABELS,
}: {
  idBase: string;
  values: ListingValues;
  onChange(values: ListingValues): void;
  fields?: [keyof DrugListing, string][];
}) => (
  <div className="inline-fields">
    {fields.map(([key, label]) => (
      <div className="field" key={key}>
        <label htmlFor={`${idBase}-${key}`}>{label}</label>
        <input
          id={`${idBase}-${key}`}
          maxLength={key === 'packageDescription' ? 500 : 200}
          value={values[key]}
          onChange={(event) => onChange({ ...values, [key]: event.target.value })}
        />
      </div>
    ))}
    {fields === LISTING_LABELS ? (
      <div className="field">
        <label htmlFor={`${idBase}-dea`}>DEA schedule</label>
        <select
          id={`${idBase}-dea`}
          value={values.deaSchedule}
          onChange={(event) => onChange({ ...values, deaSchedule: event.target.value })}
        >
          <option value="">Not controlled</option>
          {DEA_SCHEDULES.map((schedule) => (
            <option key={schedule} value={schedule}>
              {schedule}
            </option>
          ))}
        </select>
      </div>
    ) : null}
  </div>
);

type Handling = {
  storageClass: StorageClass | '';
  specialty: boolean;
  limitedDistribution: string;
  rems: boolean;
};

const handlingOf = (entry: CatalogueEntry | null): Handling => ({
  storageClass: entry?.storageClass ?? '',
  specialty: entry?.specialty ?? false,
  limitedDistribution: entry?.limitedDistribution ?? '',
  rems: entry?.rems ?? false,
});

/** Storage class (no default: a person must choose), specialty, limited distribution, REMS. */
const HandlingFields = ({
  idBase,
  values,
  onChange,
  allowUnset = false,
}: {
  idBase: string;
  values: Handling;
  onChange(values: Handling): void;
  allowUnset?: boolean;
}) => (
  <>
    <fieldset>
      <legend>Storage</legend>
      {STORAGE_CLASSES.map((storage) => (
        <div className="choice" key={storage}>
          <input
            type="radio"
            id={`${idBase}-storage-${storage}`}
            name={`${idBase}-storage`}
            value={storage}
            required={!allowUnset}
            checked={values.storageClass === storage}
            onChange={() => onChange({ ...values, storageClass: storage })}
          />
          <label htmlFor={`${idBase}-storage-${storage}`}>{STORAGE_LABELS[storage]}</label>
        </div>
      ))}
      {allowUnset ? (
        <div className="choice">
          <input
            type="radio"
            id={`${idBase}-storage-unset`}
            name={`${idBase}-storage`}
            checked={values.storageClass === ''}
            onChange={() => onChange({ ...values, storageClass: '' })}
          />
          <label htmlFor={`${idBase}-storage-unset`}>
            Not classified yet (orders for it wait for a pharmacist)
          </label>
        </div>
      ) : null}
    </fieldset>
    <div className="inline-fields">
      <div className="choice">
        <input
          type="checkbox"
          id={`${idBase}-specialty`}
          checked={values.specialty}
          onChange={(event) => onChange({ ...values, specialty: event.target.checked })}
        />
        <label htmlFor={`${idBase}-specialty`}>Specialty drug</label>
      </div>
      <div className="choice">
        <input
          type="checkbox"
          id={`${idBase}-rems`}
          checked={values.rems}
          onChange={(event) => onChange({ ...values, rems: event.target.checked })}
        />
        <label htmlFor={`${idBase}-rems`}>REMS programme</label>
      </div>
      <div className="field">
        <label htmlFor={`${idBase}-ld`}>Limited distribution (drug family)</label>
        <input
          id={`${idBase}-ld`}
          maxLength={60}
          value={values.limitedDistribution}
          onChange={(event) => onChange({ ...values, limitedDistribution: event.target.value })}
        />
        <span className="hint">Empty when any pharmacy may dispense it.</span>
      </div>
    </div>
  </>
);

const handlingBody = (values: Handling) => ({
  specialty: values.specialty,
  rems: values.rems,
  limitedDistribution: orNull(values.limitedDistribution),
});

/** A pharmacist's classification; for an NDC the catalogue has never seen, its name too. */
export const ClassifyForm = ({
  ndc11,
  entry,
  onDone,
}: {
  ndc11: string;
  entry: CatalogueEntry | null;
  onDone(confirmation: string): void;
}) => {
  const idBase = useId();
  const save = useSave(onDone);
  const [listing, setListing] = useState(listingValues(null));
  const [handling, setHandling] = useState(handlingOf(entry));
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save.send(
      'POST',
      `/api/reference/drugs/${ndc11}/classification`,
      {
        storageClass: handling.storageClass,
        ...handlingBody(handling),
        reason: reason.trim(),
        ...(entry ? {} : { listing: listingBody(listing) }),
      },
      `NDC ${ndc11} classified: orders waiting on it are routed now.`,
    );
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Classify NDC ${ndc11}`}>
      {entry ? null : (
        <ListingFields
          idBase={idBase}
          values={listing}
          onChange={setListing}
          fields={LISTING_LABELS.slice(0, 3)}
        />
      )}
      <HandlingFields idBase={idBase} values={handling} onChange={setHandling} />
      <div className="field">
        <label htmlFor={`${idBase}-reason`}>Why (label, source)</label>
        <input
          id={`${idBase}-reason`}
          required
          minLength={3}
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <button type="submit" disabled={save.busy}>
        Classify
      </button>
      <ProblemMessage problem={save.problem} />
    </form>
  );
};

/** The admin adds a product by hand (a directory import adds them in bulk). */
export const AddDrugForm = ({ onDone }: { onDone(confirmation: string): void }) => {
  const idBase = useId();
  const save = useSave(onDone);
  const [ndc, setNdc] = useState('');
  const [listing, setListing] = useState(listingValues(null));
  const [handling, setHandling] = useState<Handling>(handlingOf(null));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await save.send(
      'POST',
      '/api/reference/drugs',
      {
        ndc: ndc.trim(),
        listing: listingBody(listing),
        storageClass: handling.storageClass || null,
        ...handlingBody(handling),
      },
      `NDC ${ndc.trim()} added to the catalogue.`,
    );
    if (added) {
      setNdc('');
      setListing(listingValues(null));
      setHandling(handlingOf(null));
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a drug">
      <div className="field">
        <label htmlFor={`${idBase}-ndc`}>NDC</label>
        <input
          id={`${idBase}-ndc`}
          required
          maxLength={13}
          value={ndc}
          onChange={(event) => setNdc(event.target.value)}
        />
        <span className="hint">11 digits, or as on the carton with hyphens (e.g. 0074-0554-02).</span>
      </div>
      <ListingFields idBase={idBase} values={listing} onChange={setListing} />
      <HandlingFields idBase={idBase} values={handling} onChange={setHandling} allowUnset />
      <button type="submit" disabled={save.busy}>
        Add drug
      </button>
      <ProblemMessage problem={save.problem} />
    </form>
  );
};

/** The admin corrects what the catalogue says about a product. */
export const EditListingForm = ({
  entry,
  onDone,
}: {
  entry: CatalogueEntry;
  onDone(confirmation: string): void;
}) => {
  const idBase = useId();
  const save = useSave(onDone);
  const [listing, setListing] = useState(listingValues(entry));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save.send(
      'PUT',
      `/api/reference/drugs/${entry.ndc11}/listing`,
      listingBody(listing),
      `NDC ${entry.ndc11} updated.`,
    );
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Edit NDC ${entry.ndc11}`}>
      <ListingFields idBase={idBase} values={listing} onChange={setListing} />
      <button type="submit" className="secondary" disabled={save.busy}>
        Save details
      </button>
      <ProblemMessage problem={save.problem} />
    </form>
  );
};
