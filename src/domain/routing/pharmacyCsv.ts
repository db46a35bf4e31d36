import { type PharmacyDetails, type PharmacyProblem, type PlanRef, pharmacyProblems } from './pharmacy.js';

/**
 * The pharmacy network as a CSV file (RFC 4180: comma-separated, double quotes around a field that
 * holds a comma, quote or line break), one pharmacy per row under this header. Lists inside a field
 * are separated by `;`: states `OH;PA`, plans `610014/CommPlanA;610020/CommPlanB`.
 */
export const PHARMACY_CSV_COLUMNS = [
  'id',
  'name',
  'npi',
  'ncpdp_id',
  'address_line1',
  'city',
  'state',
  'postal_code',
  'latitude',
  'longitude',
  'licensed_states',
  'accepted_plans',
  'specialty',
  'cold_chain',
  'frozen',
  'limited_distribution',
  'capacity_per_day',
  'turnaround_hours',
] as const;

/** Optional columns: an empty cell or a missing column means "not known". */
const OPTIONAL = new Set(['ncpdp_id', 'latitude', 'longitude', 'limited_distribution', 'frozen']);

export type CsvPharmacy = { line: number; id: string; details: PharmacyDetails };
export type CsvRejection = { line: number; id: string | null; problems: PharmacyProblem[] };
export type PharmacyCsvRead = { rows: CsvPharmacy[]; rejected: CsvRejection[] };

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/** Splits CSV text into records of fields, with the line each record starts on. */
export const parseCsv = (text: string): { line: number; fields: string[] }[] => {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += char;
  }
  if (quoted) throw new CsvFormatError(`a quoted field opened on line ${start} is never closed`);
  fields.push(field);
  if (fields.some((f) => f !== '')) records.push({ line: start, fields });
  return records;
};

const list = (value: string) =>
  value
    .split(/[;\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const yes = (value: string) => /^(y|yes|true|1)$/i.test(value.trim());
const isBoolean = (value: string) => /^(y|yes|true|1|n|no|false|0)$/i.test(value.trim());

const plans = (value: string): PlanRef[] =>
  list(value).map((entry) => {
    const [bin = '', pcn = ''] = entry.split('/');
    return { bin: bin.trim(), pcn: pcn.trim() };
  });

const numberOrNaN = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));

/**
 * Reads a network CSV. Every row is checked on its own: a row with faults is reported with all of
 * them and the others still import. A file without the required columns is refused as a whole.
 */
export const readPharmacyCsv = (text: string): PharmacyCsvRead => {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new CsvFormatError('the file is empty');
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const missing = PHARMACY_CSV_COLUMNS.filter((column) => !OPTIONAL.has(column) && !names.includes(column));
  if (missing.length > 0) throw new CsvFormatError(`missing column(s): ${missing.join(', ')}`);

  const rows: CsvPharmacy[] = [];
  const rejected: CsvRejection[] = [];
  for (const record of records) {
    const cell = (column: string) => {
      const at = names.indexOf(column);
      return at === -1 ? '' : (record.fields[at] ?? '').trim();
    };
    const id = cell('id');
    const problems: PharmacyProblem[] = [];
    if (record.fields.length > names.length)
      problems.push({
        field: 'row',
        message: `${record.fields.length} fields where the header has ${names.length}`,
      });
    if (!id) problems.push({ field: 'id', message: 'id is required' });
    for (const column of ['specialty', 'cold_chain'])
      if (!isBoolean(cell(column))) problems.push({ field: column, message: `${column} must be yes or no` });
    if (cell('frozen') !== '' && !isBoolean(cell('frozen')))
      problems.push({ field: 'frozen', message: 'frozen must be yes or no' });
    const lat = cell('latitude');
    const lon = cell('longitude');
    const location = lat !== '' && lon !== '' ? { lat: Number(lat), lon: Number(lon) } : null;
    if (location && (Number.isNaN(location.lat) || Number.isNaN(location.lon)))
      problems.push({ field: 'location', message: 'latitude and longitude must be numbers' });
    const details: PharmacyDetails = {
      name: cell('name'),
      npi: cell('npi'),
      ncpdpId: cell('ncpdp_id') || null,
      address: {
        line1: cell('address_line1'),
        city: cell('city'),
        state: cell('state').toUpperCase(),
        postalCode: cell('postal_code'),
      },
      location,
      licensedStates: list(cell('licensed_states')).map((state) => state.toUpperCase()),
      acceptedPlans: plans(cell('accepted_plans')),
      capabilities: {
        specialty: yes(cell('specialty')),
        coldChain: yes(cell('cold_chain')),
        frozen: yes(cell('frozen')),
        limitedDistribution: list(cell('limited_distribution')),
      },
      capacityPerDay: numberOrNaN(cell('capacity_per_day')),
      turnaroundHours: numberOrNaN(cell('turnaround_hours')),
    };
    problems.push(...pharmacyProblems(details));
    if (problems.length > 0) rejected.push({ line: record.line, id: id || null, problems });
    else rows.push({ line: record.line, id, details });
  }
  return { rows, rejected };
};

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The same layout back out: what `readPharmacyCsv` reads, a network round-trips unchanged. */
export const writePharmacyCsv = (pharmacies: readonly (PharmacyDetails & { id: string })[]): string => {
  const yn = (value: boolean) => (value ? 'yes' : 'no');
  const lines = pharmacies.map((p) =>
    [
      p.id,
      p.name,
      p.npi,
      p.ncpdpId ?? '',
      p.address.line1,
      p.address.city,
      p.address.state,
      p.address.postalCode,
      p.location ? String(p.location.lat) : '',
      p.location ? String(p.location.lon) : '',
      p.licensedStates.join(';'),
      p.acceptedPlans.map((plan) => `${plan.bin}/${plan.pcn}`).join(';'),
      yn(p.capabilities.specialty),
      yn(p.capabilities.coldChain),
      yn(p.capabilities.frozen),
      p.capabilities.limitedDistribution.join(';'),
      String(p.capacityPerDay),
      String(p.turnaroundHours),
    ]
      .map(quote)
      .join(','),
  );
  return `${[PHARMACY_CSV_COLUMNS.join(','), ...lines].join('\n')}\n`;
};
