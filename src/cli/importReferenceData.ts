import { userInfo } from 'node:os';
import { createDrugCatalogue } from '../commands/catalogue/drugCatalogue.js';
import { createPharmacyNetwork } from '../commands/catalogue/pharmacyNetwork.js';
import type { DirectorySkip } from '../domain/catalogue/fdaNdcDirectory.js';
import type { EventStore } from '../eventstore/types.js';
import { type Clock, systemClock } from '../platform/clock.js';
import { terminalProgress } from './progressBar.js';
import { readNdcDirectoryFiles, readPharmacyCsvFile } from './referenceFiles.js';

type Options = { progress?: boolean; clock?: Clock; actor?: string };

/** Who ran the import, for the audit trail: the OS account, never a secret. */
const cliActor = (command: string) => {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the command alone still says how the change came in.
  }
  return `cli:${command}:${user}`;
};

const progressBar = (label: string, total: number, show: boolean) => {
  if (!show) return undefined;
  const bar = terminalProgress(label);
  bar.start(total);
  return bar;
};

export type DrugImportReport = {
  read: number;
  added: number;
  changed: number;
  unchanged: number;
  skipped: DirectorySkip[];
};

/**
 * `import-drugs <dir>`: the FDA NDC Directory's product.txt and package.txt into the catalogue.
 * New packages arrive unclassified (the directory has no storage class); a pharmacist classifies
 * them, and until then an order for one waits in awaiting_drug_review.
 */
export const importDrugs = async (
  store: EventStore,
  dir: string,
  options: Options = {},
): Promise<DrugImportReport> => {
  const read = await readNdcDirectoryFiles(dir);
  const catalogue = createDrugCatalogue({
    store,
    clock: options.clock ?? systemClock,
  });
  const bar = progressBar('import-drugs', read.listings.length, options.progress ?? false);
  try {
    const report = await catalogue.importDirectory(
      read.listings,
      { actor: options.actor ?? cliActor('import-drugs') },
      { onProgress: (done) => bar?.update(done) },
    );
    return { read: read.listings.length + read.skipped.length, ...report, skipped: read.skipped };
  } finally {
    bar?.stop();
  }
};

export const describeDrugImport = (dir: string, report: DrugImportReport) =>
  [
    `imported ${dir}: ${report.read} packages read — added ${report.added}, changed ${report.changed}, unchanged ${report.unchanged}, skipped ${report.skipped.length}`,
    ...report.skipped
      .slice(0, 20)
      .map((s) => `  skipped ${s.file} line ${s.line}${s.ndc ? ` (${s.ndc})` : ''}: ${s.reason}`),
    ...(report.skipped.length > 20 ? [`  … and ${report.skipped.length - 20} more`] : []),
    ...(report.added > 0
      ? [
          'new products have no storage class yet: a pharmacist classifies them on the Drug catalogue page; orders for them wait in awaiting_drug_review until then',
        ]
      : []),
  ].join('\n');

export type PharmacyImportReport = {
  read: number;
  added: number;
  changed: number;
  unchanged: number;
  rejected: { line: number; id: string | null; message: string }[];
};

/** `import-pharmacies <file.csv>`: pharmacies added or updated; faulty rows reported, the rest imported. */
export const importPharmacies = async (
  store: EventStore,
  file: string,
  options: Options = {},
): Promise<PharmacyImportReport> => {
  const read = await readPharmacyCsvFile(file);
  const network = createPharmacyNetwork({
    store,
    clock: options.clock ?? systemClock,
  });
  const bar = progressBar('import-pharmacies', read.rows.length, options.progress ?? false);
  try {
    const report = await network.importRows(
      read.rows,
      { actor: options.actor ?? cliActor('import-pharmacies') },
      { onProgress: (done) => bar?.update(done) },
    );
    const rejected = [
      ...read.rejected.map((r) => ({
        line: r.line,
        id: r.id,
        message: r.problems.map((p) => p.message).join('; '),
      })),
      ...report.rejected,
    ].sort((a, b) => a.line - b.line);
    return { read: read.rows.length + read.rejected.length, ...report, rejected };
  } finally {
    bar?.stop();
  }
};

export const describePharmacyImport = (file: string, report: PharmacyImportReport) =>
  [
    `imported ${file}: ${report.read} pharmacies read — added ${report.added}, changed ${report.changed}, unchanged ${report.unchanged}, rejected ${report.rejected.length}`,
    ...report.rejected
      .slice(0, 20)
      .map((r) => `  rejected line ${r.line}${r.id ? ` (${r.id})` : ''}: ${r.message}`),
    ...(report.rejected.length > 20 ? [`  … and ${report.rejected.length - 20} more`] : []),
  ].join('\n');
