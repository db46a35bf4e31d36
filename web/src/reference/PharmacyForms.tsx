import { type FormEvent, useId, useState } from 'react';
import { upload } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import { ProblemMessage } from '../ui/components.js';
import { orNull, useSave } from './shared.js';
import type { Pharmacy, PharmacyDetails } from './types.js';

type Values = {
  id: string;
  name: string;
  npi: string;
  ncpdpId: string;
  line1: string;
  city: string;
  state: string;
  postalCode: string;
  lat: string;
  lon: string;
  licensedStates: string;
  acceptedPlans: string;
  specialty: boolean;
  coldChain: boolean;
  frozen: boolean;
  limitedDistribution: string;
  capacityPerDay: string;
  turnaroundHours: string;
};

const valuesOf = (p: Pharmacy | null): Values => ({
  id: p?.id ?? '',
  name: p?.name ?? '',
  npi: p?.npi ?? '',
  ncpdpId: p?.ncpdpId ?? '',
  line1: p?.address.line1 ?? '',
  city: p?.address.city ?? '',
  state: p?.address.state ?? '',
  postalCode: p?.address.postalCode ?? '',
  lat: p?.location ? String(p.location.lat) : '',
  lon: p?.location ? String(p.location.lon) : '',
  licensedStates: p?.licensedStates.join(' ') ?? '',
  acceptedPlans: p?.acceptedPlans.map((plan) => `${plan.bin}/${plan.pcn}`).join('; ') ?? '',
  specialty: p?.capabilities.specialty ?? false,
  coldChain: p?.capabilities.coldChain ?? false,
  frozen: p?.capabilities.frozen ?? false,
  limitedDistribution: p?.capabilities.limitedDistribution.join('; ') ?? '',
  capacityPerDay: p ? String(p.capacityPerDay) : '',
  turnaroundHours: p ? String(p.turnaroundHours) : '',
});

const items = (value: string) =>
  value
    .split(/[;,\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);

const detailsOf = (v: Values): PharmacyDetails => ({
  name: v.name.trim(),
  npi: v.npi.trim(),
  ncpdpId: orNull(v.ncpdpId),
  address: {
    line1: v.line1.trim(),
    city: v.city.trim(),
    state: v.state.trim().toUpperCase(),
    postalCode: v.postalCode.trim(),
  },
  location: v.lat.trim() && v.lon.trim() ? { lat: Number(v.lat), lon: Number(v.lon) } : null,
  licensedStates: items(v.licensedStates).map((s) => s.toUpperCase()),
  acceptedPlans: items(v.acceptedPlans).map((entry) => {
    const [bin = '', pcn = ''] = entry.split('/');
    return { bin, pcn };
  }),
  capabilities: {
    specialty: v.specialty,
    coldChain: v.coldChain,
    frozen: v.frozen,
    limitedDistribution: items(v.limitedDistribution),
  },
  capacityPerDay: Number(v.capacityPerDay),
  turnaroundHours: Number(v.turnaroundHours),
});

const TEXT_FIELDS: [keyof Values, string, string?][] = [
  ['name', 'Name'],
  ['npi', 'NPI', '10 digits with its check digit'],
  ['ncpdpId', 'NCPDP id', 'optional, 7 digits'],
  ['line1', 'Street address'],
  ['city', 'City'],
  ['state', 'State', 'e.g. OH'],
  ['postalCode', 'ZIP code'],
  ['lat', 'Latitude', 'optional: estimated from the ZIP code otherwise'],
  ['lon', 'Longitude', 'optional'],
  ['licensedStates', 'Licensed in', 'state codes, e.g. OH PA KY'],
  ['acceptedPlans', 'Accepted plans', 'BIN/PCN; …, e.g. 610014/CommPlanA'],
  ['limitedDistribution', 'Limited-distribution access', 'drug families or NDCs; …'],
  ['capacityPerDay', 'Prescriptions a day'],
  ['turnaroundHours', 'Turnaround (hours)'],
];

/** Add a pharmacy (with an id) or edit one (without). */
export const PharmacyForm = ({
  pharmacy,
  onDone,
}: {
  pharmacy: Pharmacy | null;
  onDone(confirmation: string): void;
}) => {
  const idBase = useId();
  const save = useSave(onDone);
  const [values, setValues] = useState(valuesOf(pharmacy));
  const set = (key: keyof Values, value: string | boolean) => setValues({ ...values, [key]: value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const details = detailsOf(values);
    const done = pharmacy
      ? await save.send(
          'PUT',
          `/api/reference/pharmacies/${pharmacy.id}`,
          details,
          `${details.name} updated.`,
        )
      : await save.send(
          'POST',
          '/api/reference/pharmacies',
          { ...details, ...(values.id.trim() ? { id: values.id.trim() } : {}) },
          `${details.name} added to the network.`,
        );
    if (done && !pharmacy) setValues(valuesOf(null));
  };
  return (
    <form
      className="stack"
      onSubmit={submit}
      aria-label={pharmacy ? `Edit ${pharmacy.name}` : 'Add a pharmacy'}
    >
      <div className="inline-fields">
        {pharmacy ? null : (
          <div className="field">
            <label htmlFor={`${idBase}-id`}>Id</label>
            <input
              id={`${idBase}-id`}
              maxLength={40}
              value={values.id}
              onChange={(e) => set('id', e.target.value)}
            />
            <span className="hint">optional: PH-&lt;NPI&gt; otherwise</span>
          </div>
        )}
        {TEXT_FIELDS.map(([key, label, hint]) => (
          <div className="field" key={key}>
            <label htmlFor={`${idBase}-${key}`}>{label}</label>
            <input
              id={`${idBase}-${key}`}
              maxLength={300}
              required={
                !hint?.startsWith('optional') && key !== 'acceptedPlans' && key !== 'limitedDistribution'
              }
              inputMode={
                ['npi', 'ncpdpId', 'capacityPerDay', 'turnaroundHours', 'postalCode'].includes(key)
                  ? 'numeric'
                  : undefined
              }
              value={values[key] as string}
              onChange={(e) => set(key, e.target.value)}
            />
            {hint ? <span className="hint">{hint}</span> : null}
          </div>
        ))}
      </div>
      <fieldset>
        <legend>Capabilities</legend>
        {(
          [
            ['specialty', 'Specialty pharmacy'],
            ['coldChain', 'Refrigerated storage and cold-chain packing (2–8 °C)'],
            ['frozen', 'Freezer storage and dry-ice packing'],
          ] as const
        ).map(([key, label]) => (
          <div className="choice" key={key}>
            <input
              type="checkbox"
              id={`${idBase}-${key}`}
              checked={values[key]}
              onChange={(e) => set(key, e.target.checked)}
            />
            <label htmlFor={`${idBase}-${key}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <button type="submit" disabled={save.busy}>
        {pharmacy ? 'Save pharmacy' : 'Add pharmacy'}
      </button>
      <ProblemMessage problem={save.problem} />
    </form>
  );
};

/** Suspend (routing stops offering it) or reinstate, with the reason on record. */
export const SuspensionForm = ({
  pharmacy,
  onDone,
}: {
  pharmacy: Pharmacy;
  onDone(confirmation: string): void;
}) => {
  const idBase = useId();
  const save = useSave(onDone);
  const [reason, setReason] = useState('');
  const suspending = pharmacy.status === 'active';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await save.send(
      'POST',
      `/api/reference/pharmacies/${pharmacy.id}/${suspending ? 'suspension' : 'reinstatement'}`,
      { reason: reason.trim() },
      `${pharmacy.name} ${suspending ? 'suspended: routing no longer offers it' : 'reinstated'}.`,
    );
    if (done) setReason('');
  };
  return (
    <form
      className="inline-form"
      onSubmit={submit}
      aria-label={`${suspending ? 'Suspend' : 'Reinstate'} ${pharmacy.name}`}
    >
      <label htmlFor={`${idBase}-reason`}>Reason</label>
      <input
        id={`${idBase}-reason`}
        required
        minLength={3}
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <button type="submit" className={suspending ? 'danger' : undefined} disabled={save.busy}>
        {suspending ? 'Suspend' : 'Reinstate'}
      </button>
      <ProblemMessage problem={save.problem} />
    </form>
  );
};

type ImportReport = {
  added: number;
  changed: number;
  unchanged: number;
  rejected: { line: number; id: string | null; message: string }[];
};

/** A CSV file of pharmacies: new ones added, changed ones updated, faulty rows listed with their line. */
export const CsvImportForm = ({ onDone }: { onDone(confirmation: string): void }) => {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setReport(null);
    try {
      const result = await upload<ImportReport>(
        '/api/reference/pharmacies/import',
        await file.text(),
        'text/csv',
      );
      setReport(result);
      onDone(
        `Imported ${file.name}: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged.`,
      );
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Import pharmacies from CSV">
      <div className="field">
        <label htmlFor="network-csv">CSV file</label>
        <input
          id="network-csv"
          type="file"
          accept=".csv,text/csv"
          required
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <span className="hint">
          Columns: id, name, npi, ncpdp_id, address_line1, city, state, postal_code, latitude, longitude,
          licensed_states, accepted_plans, specialty, cold_chain, frozen, limited_distribution,
          capacity_per_day, turnaround_hours.
        </span>
      </div>
      <button type="submit" disabled={busy || !file}>
        Import
      </button>
      <ProblemMessage problem={problem} />
      {report && report.rejected.length > 0 ? (
        <div className="problem" role="alert">
          <p className="problem-title">
            <strong>{report.rejected.length} row(s) not imported</strong>
          </p>
          <ul>
            {report.rejected.map((r) => (
              <li key={r.line}>
                Line {r.line}
                {r.id ? ` (${r.id})` : ''}: {r.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
};
