import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_NETWORK_CSV } from '../../sandbox/data/network.js';
import { FDA_SAMPLE_DIR } from '../../sandbox/referenceData.js';
import { readNdcDirectoryFiles } from '../../src/cli/referenceFiles.js';
import { createDrugCatalogue } from '../../src/commands/catalogue/drugCatalogue.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { systemClock } from '../../src/platform/clock.js';
import { projectRoot } from '../../src/platform/paths.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let scratch: string;
beforeAll(async () => {
  db = await createTestDatabase();
  scratch = await mkdtemp(join(tmpdir(), 'import-cli-'));
});
afterAll(async () => {
  await db?.drop();
  await rm(scratch, { recursive: true, force: true });
});

/** Runs `npm run cli -- <args>` as an operator would, against the test database. */
const cli = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'src', 'cli.ts'), ...args],
      { env: { ...process.env, DATABASE_URL: db.connectionString, LOG_LEVEL: 'warn' }, cwd: projectRoot },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );

const eventsOf = async (type: string) =>
  (
    await db.pool.query<{ stream_name: string; actor: string }>(
      `SELECT stream_name, metadata->>'actor' AS actor FROM events WHERE event_type = $1`,
      [type],
    )
  ).rows;

describe('npm run cli -- import-drugs <dir> (FDA NDC Directory layout)', () => {
  it('given the sample, then it adds every package but the sample carton, unclassified, and prints the counts', async () => {
    const run = await cli('import-drugs', FDA_SAMPLE_DIR);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('31 packages read — added 30, changed 0, unchanged 0, skipped 1');
    expect(run.stdout).toMatch(/skipped package\.txt line \d+ \(0074-0554-71\): sample package/);
    const added = await eventsOf('DrugAdded');
    expect(added).toHaveLength(30);
    expect(added.every((e) => e.actor.startsWith('cli:import-drugs:'))).toBe(true);
    expect(await eventsOf('DrugClassified')).toHaveLength(0);
  });

  it('given the catalogue it made, then every listing round-trips: read back from the events it equals the file', async () => {
    const catalogue = createDrugCatalogue({
      store: createPostgresEventStore(db.pool),
      clock: systemClock,
    });
    const { listings } = await readNdcDirectoryFiles(FDA_SAMPLE_DIR);
    for (const { ndc11, listing } of listings) {
      const drug = await catalogue.load(ndc11);
      expect(drug, ndc11).toMatchObject({ ...listing, ndc11, storageClass: null });
    }
    expect(await catalogue.load('57894006003')).toMatchObject({
      proprietaryName: 'Stelara',
      genericName: 'ustekinumab',
      strength: '45 mg/.5mL',
      labeler: 'Janssen Biotech, Inc.',
    });
    expect(await catalogue.load('61958180101')).toMatchObject({ strength: '90 mg/1; 400 mg/1' });
    expect(await catalogue.load('00406055201')).toMatchObject({ deaSchedule: 'CII' });
  });

  it('given the same files again, then nothing changes and the counts say so', async () => {
    const run = await cli('import-drugs', FDA_SAMPLE_DIR);
    expect(run.stdout).toContain('31 packages read — added 0, changed 0, unchanged 30, skipped 1');
    expect(await eventsOf('DrugAdded')).toHaveLength(30);
  });

  it('given a newer file with one product changed (in Windows-1252, as the FDA publishes), then only that one changes', async () => {
    const dir = join(scratch, 'newer');
    await cp(FDA_SAMPLE_DIR, dir, { recursive: true });
    const products = await readFile(join(dir, 'product.txt'), 'latin1');
    // "Amgen Inc" becomes "Amgen Inc é" (0xE9 in Windows-1252), the only change.
    await writeFile(
      join(dir, 'product.txt'),
      Buffer.from(products.replace('Amgen Inc\t', 'Amgen Inc \u00e9\t'), 'latin1'),
    );
    const run = await cli('import-drugs', dir);
    expect(run.stdout).toContain('added 0, changed 1, unchanged 29, skipped 1');
    const catalogue = createDrugCatalogue({
      store: createPostgresEventStore(db.pool),
      clock: systemClock,
    });
    expect((await catalogue.load('55513013760'))?.labeler).toBe('Amgen Inc é');
  });

  it('given a folder without the directory files, then it fails with a clear message and writes nothing', async () => {
    const before = (await eventsOf('DrugAdded')).length;
    const run = await cli('import-drugs', scratch);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('product.txt not found');
    expect(await eventsOf('DrugAdded')).toHaveLength(before);
  });
});

describe('npm run cli -- import-pharmacies <file.csv>', () => {
  it('given the sandbox network, then it registers all of them, and a second run changes nothing', async () => {
    const first = await cli('import-pharmacies', SAMPLE_NETWORK_CSV);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/(\d+) pharmacies read — added \1, changed 0, unchanged 0, rejected 0/);
    const second = await cli('import-pharmacies', SAMPLE_NETWORK_CSV);
    expect(second.stdout).toMatch(/(\d+) pharmacies read — added 0, changed 0, unchanged \1, rejected 0/);
  });

  it('given faulty rows, then each is reported with its line and every fault, and the good rows still import', async () => {
    const csv = await readFile(SAMPLE_NETWORK_CSV, 'utf8');
    const [header, first] = csv.split('\n');
    const changed = first!.replace(/,(\d{3})(,\d+)$/, ',999$2');
    const badNpi = first!.replace(/^PH-OH-01,/, 'PH-NEW-01,').replace(/,1\d{9},/, ',1234567890,');
    const file = join(scratch, 'network.csv');
    await writeFile(file, [header, changed, badNpi, 'PH-NEW-02,,,,,,ZZ,,,,,,maybe,yes,,,0,0'].join('\n'));
    const run = await cli('import-pharmacies', file);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('3 pharmacies read — added 0, changed 1, unchanged 0, rejected 2');
    expect(run.stdout).toMatch(/rejected line 3 \(PH-NEW-01\): NPI 1234567890 is not .* check digit/);
    expect(run.stdout).toMatch(
      /rejected line 4 \(PH-NEW-02\): specialty must be yes or no; .*name is required/,
    );
    expect(await eventsOf('PharmacyDetailsChanged')).toHaveLength(1);
  });
});
