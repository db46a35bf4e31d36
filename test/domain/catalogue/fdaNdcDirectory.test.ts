import { describe, expect, it } from 'vitest';
import {
  DirectoryFormatError,
  PACKAGE_COLUMNS,
  PRODUCT_COLUMNS,
  readNdcDirectory,
  strengthOf,
} from '../../../src/domain/catalogue/fdaNdcDirectory.js';

const row = (columns: readonly string[], values: Record<string, string>) =>
  columns.map((column) => values[column] ?? '').join('\t');
const products = (...rows: Record<string, string>[]) =>
  [PRODUCT_COLUMNS.join('\t'), ...rows.map((r) => row(PRODUCT_COLUMNS, r))].join('\r\n');
const packages = (...rows: Record<string, string>[]) =>
  [PACKAGE_COLUMNS.join('\t'), ...rows.map((r) => row(PACKAGE_COLUMNS, r))].join('\r\n');

const HARVONI = {
  PRODUCTID: '61958-1801_abc',
  PRODUCTNDC: '61958-1801',
  PROPRIETARYNAME: 'Harvoni',
  NONPROPRIETARYNAME: 'ledipasvir and sofosbuvir',
  DOSAGEFORMNAME: 'TABLET, FILM COATED',
  ROUTENAME: 'ORAL',
  LABELERNAME: 'Gilead Sciences, Inc.',
  ACTIVE_NUMERATOR_STRENGTH: '90; 400',
  ACTIVE_INGRED_UNIT: 'mg/1; mg/1',
  NDC_EXCLUDE_FLAG: 'N',
};

describe('reading the FDA NDC Directory layout', () => {
  it('given a package of a product, then it maps the fields that exist onto an 11-digit listing', () => {
    const read = readNdcDirectory(
      products(HARVONI),
      packages({
        PRODUCTID: '61958-1801_abc',
        NDCPACKAGECODE: '61958-1801-1',
        PACKAGEDESCRIPTION: '28 TABLET in 1 BOTTLE',
      }),
    );
    expect(read.skipped).toEqual([]);
    expect(read.listings).toEqual([
      {
        ndc11: '61958180101',
        line: 2,
        listing: {
          proprietaryName: 'Harvoni',
          genericName: 'ledipasvir and sofosbuvir',
          strength: '90 mg/1; 400 mg/1',
          dosageForm: 'TABLET, FILM COATED',
          route: 'ORAL',
          labeler: 'Gilead Sciences, Inc.',
          packageDescription: '28 TABLET in 1 BOTTLE',
          deaSchedule: null,
        },
      },
    ]);
  });

  it('given columns in another order and some missing, then it still reads them by name', () => {
    const reordered = `PRODUCTNDC\tPROPRIETARYNAME\tPRODUCTID\r\n0002-1445\tTaltz\tP1\r\n`;
    const read = readNdcDirectory(reordered, `NDCPACKAGECODE\tPRODUCTID\n0002-1445-11\tP1\n`);
    expect(read.listings[0]).toMatchObject({
      ndc11: '00002144511',
      listing: { proprietaryName: 'Taltz', strength: null },
    });
  });

  it('skips what it cannot use, saying why: sample cartons, excluded rows, orphans, bad codes, unknown schedules, repeats', () => {
    const read = readNdcDirectory(
      products(HARVONI, { ...HARVONI, PRODUCTID: 'X', DEASCHEDULE: 'C9' }),
      packages(
        { PRODUCTID: '61958-1801_abc', NDCPACKAGECODE: '61958-1801-1', SAMPLE_PACKAGE: 'Y' },
        { PRODUCTID: '61958-1801_abc', NDCPACKAGECODE: '61958-1801-2', NDC_EXCLUDE_FLAG: 'E' },
        { PRODUCTID: 'missing', NDCPACKAGECODE: '61958-1801-3' },
        { PRODUCTID: '61958-1801_abc', NDCPACKAGECODE: '6195818014' },
        { PRODUCTID: 'X', NDCPACKAGECODE: '61958-1801-5' },
        { PRODUCTID: '61958-1801_abc', NDCPACKAGECODE: '61958-1801-6' },
        { PRODUCTID: '61958-1801_abc', NDCPACKAGECODE: '61958-1801-06' },
      ),
    );
    expect(read.listings.map((l) => l.ndc11)).toEqual(['61958180106']);
    expect(read.skipped.map((s) => [s.line, s.reason.split(':')[0]])).toEqual([
      [2, 'sample package'],
      [3, 'excluded from the NDC directory (NDC_EXCLUDE_FLAG)'],
      [4, 'no product missing in product.txt'],
      [5, expect.stringContaining('10 digits without hyphens')],
      [6, 'DEA schedule "C9" is not one of CI, CII, CIII, CIV, CV'],
      [8, 'NDC 61958180106 appears twice in package.txt; the first row was used'],
    ]);
  });

  it('refuses a file that is not the directory layout at all', () => {
    expect(() => readNdcDirectory('name,ndc\nfoo,1', packages())).toThrow(DirectoryFormatError);
  });

  it('pairs each ingredient’s amount with its unit', () => {
    expect(strengthOf('50; 200; 25', 'mg/1; mg/1; mg/1')).toBe('50 mg/1; 200 mg/1; 25 mg/1');
    expect(strengthOf('', '')).toBeNull();
  });
});
