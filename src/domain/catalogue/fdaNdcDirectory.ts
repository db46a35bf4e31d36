import { normaliseNdc } from '../prescription/identifiers.js';
import { DEA_SCHEDULES, type DeaSchedule, type DrugListing } from './drug.js';

/**
 * The FDA NDC Directory as published (ndctext.zip): `product.txt` and `package.txt`, tab-separated,
 * a header row of these column names, joined on PRODUCTID. Columns beyond the ones read here are
 * ignored, and a column missing from an older or newer file only leaves its field empty.
 */
export const PRODUCT_COLUMNS = [
  'PRODUCTID',
  'PRODUCTNDC',
  'PRODUCTTYPENAME',
  'PROPRIETARYNAME',
  'PROPRIETARYNAMESUFFIX',
  'NONPROPRIETARYNAME',
  'DOSAGEFORMNAME',
  'ROUTENAME',
  'STARTMARKETINGDATE',
  'ENDMARKETINGDATE',
  'MARKETINGCATEGORYNAME',
  'APPLICATIONNUMBER',
  'LABELERNAME',
  'SUBSTANCENAME',
  'ACTIVE_NUMERATOR_STRENGTH',
  'ACTIVE_INGRED_UNIT',
  'PHARM_CLASSES',
  'DEASCHEDULE',
  'NDC_EXCLUDE_FLAG',
  'LISTING_RECORD_CERTIFIED_THROUGH',
] as const;

export const PACKAGE_COLUMNS = [
  'PRODUCTID',
  'PRODUCTNDC',
  'NDCPACKAGECODE',
  'PACKAGEDESCRIPTION',
  'STARTMARKETINGDATE',
  'ENDMARKETINGDATE',
  'NDC_EXCLUDE_FLAG',
  'SAMPLE_PACKAGE',
] as const;

const REQUIRED_PRODUCT = ['PRODUCTID'] as const;
const REQUIRED_PACKAGE = ['PRODUCTID', 'NDCPACKAGECODE'] as const;

export type DirectoryListing = { ndc11: string; listing: DrugListing; line: number };
export type DirectorySkip = {
  file: 'product.txt' | 'package.txt';
  line: number;
  ndc: string | null;
  reason: string;
};
export type DirectoryRead = { listings: DirectoryListing[]; skipped: DirectorySkip[] };

export class DirectoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryFormatError';
  }
}

type Row = { line: number; get(column: string): string };

/** Rows of a tab-separated file with a header; a short row (trailing tabs dropped) reads as empty. */
const readTable = (text: string, file: string, required: readonly string[]) => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((name) => name.trim().toUpperCase());
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new DirectoryFormatError(
      `${file} has no ${missing.join(', ')} column: is it the FDA NDC Directory's tab-separated ${file}?`,
    );
  const index = new Map(header.map((name, i) => [name, i]));
  const rows: (Row | { line: number; error: string })[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const fields = raw.split('\t');
    if (fields.length > header.length) {
      rows.push({ line: i + 1, error: `${fields.length} fields where the header has ${header.length}` });
      continue;
    }
    rows.push({
      line: i + 1,
      get: (column) => {
        const at = index.get(column);
        return at === undefined ? '' : (fields[at] ?? '').trim();
      },
    });
  }
  return rows;
};

const orNull = (value: string) => (value === '' ? null : value);

/** "90; 400" with "mg/1; mg/1" → "90 mg/1; 400 mg/1": each ingredient's amount beside its unit. */
export const strengthOf = (numerators: string, units: string): string | null => {
  const amounts = numerators.split(';').map((s) => s.trim());
  const unitList = units.split(';').map((s) => s.trim());
  const parts = amounts
    .map((amount, i) => [amount, unitList[i] ?? ''].filter(Boolean).join(' '))
    .filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : null;
};

const excluded = (flag: string) => flag !== '' && flag.toUpperCase() !== 'N';

/**
 * Joins packages to their products and maps the fields that exist onto catalogue listings, one per
 * package NDC in its 11-digit billing form. The directory says nothing about storage: that is left
 * for a pharmacist. Rows that cannot be used are reported, never guessed at.
 */
export const readNdcDirectory = (productText: string, packageText: string): DirectoryRead => {
  const skipped: DirectorySkip[] = [];
  const products = new Map<string, Row>();
  for (const row of readTable(productText, 'product.txt', REQUIRED_PRODUCT)) {
    if ('error' in row) {
      skipped.push({ file: 'product.txt', line: row.line, ndc: null, reason: row.error });
      continue;
    }
    products.set(row.get('PRODUCTID'), row);
  }

  const listings: DirectoryListing[] = [];
  const seen = new Set<string>();
  for (const row of readTable(packageText, 'package.txt', REQUIRED_PACKAGE)) {
    if ('error' in row) {
      skipped.push({ file: 'package.txt', line: row.line, ndc: null, reason: row.error });
      continue;
    }
    const code = row.get('NDCPACKAGECODE');
    const skip = (reason: string) => skipped.push({ file: 'package.txt', line: row.line, ndc: code, reason });
    const product = products.get(row.get('PRODUCTID'));
    if (!product) {
      skip(`no product ${row.get('PRODUCTID') || '(blank)'} in product.txt`);
      continue;
    }
    const ndc = normaliseNdc(code);
    if (!ndc.ok) {
      skip(ndc.reason);
      continue;
    }
    if (row.get('SAMPLE_PACKAGE').toUpperCase() === 'Y') {
      skip('sample package: not dispensed');
      continue;
    }
    if (excluded(row.get('NDC_EXCLUDE_FLAG')) || excluded(product.get('NDC_EXCLUDE_FLAG'))) {
      skip('excluded from the NDC directory (NDC_EXCLUDE_FLAG)');
      continue;
    }
    const schedule = product.get('DEASCHEDULE').toUpperCase();
    if (schedule !== '' && !(DEA_SCHEDULES as readonly string[]).includes(schedule)) {
      skip(`DEA schedule ${JSON.stringify(schedule)} is not one of ${DEA_SCHEDULES.join(', ')}`);
      continue;
    }
    if (seen.has(ndc.ndc11)) {
      skip(`NDC ${ndc.ndc11} appears twice in package.txt; the first row was used`);
      continue;
    }
    seen.add(ndc.ndc11);
    const brand = [product.get('PROPRIETARYNAME'), product.get('PROPRIETARYNAMESUFFIX')]
      .filter(Boolean)
      .join(' ');
    const listing: DrugListing = {
      proprietaryName: orNull(brand),
      genericName: orNull(product.get('NONPROPRIETARYNAME')),
      strength: strengthOf(product.get('ACTIVE_NUMERATOR_STRENGTH'), product.get('ACTIVE_INGRED_UNIT')),
      dosageForm: orNull(product.get('DOSAGEFORMNAME')),
      route: orNull(product.get('ROUTENAME')),
      labeler: orNull(product.get('LABELERNAME')),
      packageDescription: orNull(row.get('PACKAGEDESCRIPTION')),
      deaSchedule: schedule === '' ? null : (schedule as DeaSchedule),
    };
    if (!listing.proprietaryName && !listing.genericName) {
      skip('the product has neither a proprietary nor a nonproprietary name');
      continue;
    }
    listings.push({ ndc11: ndc.ndc11, listing, line: row.line });
  }
  return { listings, skipped };
};
