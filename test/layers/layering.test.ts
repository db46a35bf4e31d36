import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The layering check would be worthless if it let an upward import through; this proves it does not. */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
let fixture: string;

const write = async (path: string, text: string) => {
  await mkdir(dirname(join(fixture, path)), { recursive: true });
  await writeFile(join(fixture, path), text);
};

/** Runs the project's own rules on the fixture; resolves with the report and whether it passed. */
const cruise = async () => {
  const bin = join(root, 'node_modules/.bin/depcruise');
  const args = ['src', '--config', join(root, '.dependency-cruiser.cjs')];
  try {
    const { stdout } = await run(bin, args, { cwd: fixture });
    return { passed: true, report: stdout };
  } catch (error) {
    return { passed: false, report: String((error as { stdout?: string }).stdout) };
  }
};

beforeAll(async () => {
  fixture = await mkdtemp(join(tmpdir(), 'layers-'));
  await write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
  );
  await write('src/http/status.ts', 'export const OK = 200;\n');
  await write('src/platform/clock.ts', 'export const now = () => 0;\n');
  await write(
    'src/domain/rule.ts',
    "import { now } from '../platform/clock.js';\nexport const rule = now;\n",
  );
});
afterAll(() => rm(fixture, { recursive: true, force: true }));

describe('the layering check', () => {
  it('passes imports that point down', async () => {
    expect(await cruise()).toMatchObject({ passed: true });
  });

  it('reports a decider that imports the HTTP edge', async () => {
    await write(
      'src/domain/rule.ts',
      "import { OK } from '../http/status.js';\nimport { now } from '../platform/clock.js';\nexport const rule = () => now() + OK;\n",
    );
    const result = await cruise();
    expect(result.passed).toBe(false);
    expect(result.report).toContain('domain-is-pure: src/domain/rule.ts → src/http/status.ts');
  });

  it('reports a command that reaches past the EventStore port into the PostgreSQL adapter', async () => {
    await write('src/eventstore/postgres/readBatch.ts', 'export const readBatch = () => [];\n');
    await write(
      'src/commands/catalogue/drugCatalogue.ts',
      "import { readBatch } from '../../eventstore/postgres/readBatch.js';\nexport const load = readBatch;\n",
    );
    const result = await cruise();
    expect(result.passed).toBe(false);
    expect(result.report).toContain(
      'event-store-adapter-from-the-root: src/commands/catalogue/drugCatalogue.ts → src/eventstore/postgres/readBatch.ts',
    );
  });
});
