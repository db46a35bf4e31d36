import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfChanged } from '../../sandbox/tools/buildIfChanged.js';

/** `npm start` builds only when a source changed: a fake project, and a build that writes the outputs. */
let root: string;
let builds = 0;
const put = async (file: string, text: string) => {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), text);
};
const build = () => {
  builds += 1;
};
const start = async () => {
  const before = builds;
  // The fake build's outputs exist as a real build leaves them.
  await put('dist/sandbox/local.js', '');
  await put('web/dist/index.html', '');
  await buildIfChanged(root, build);
  return builds > before;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'build-if-changed-'));
  await put('src/a.ts', 'export const a = 1;\n');
  await put('web/src/page.tsx', 'export {};\n');
  await put('sandbox/local.ts', '');
  await put('package.json', '{}');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('npm start’s build step', () => {
  it('builds the first time, then skips while nothing changed', async () => {
    expect(await start()).toBe(true);
    expect(await start()).toBe(false);
    expect(await start()).toBe(false);
  });

  it('builds again when a source file is edited, added or removed', async () => {
    await put('src/a.ts', 'export const a = 2;\n');
    expect(await start()).toBe(true);
    await put('web/src/new.tsx', 'export {};\n');
    expect(await start()).toBe(true);
    await rm(join(root, 'web/src/new.tsx'));
    expect(await start()).toBe(true);
    expect(await start()).toBe(false);
  });

  it('builds again when a file keeps its size but is saved later', async () => {
    const later = new Date(Date.now() + 60_000);
    await utimes(join(root, 'src/a.ts'), later, later);
    expect(await start()).toBe(true);
  });

  it('ignores the build’s own outputs, and builds when one is missing', async () => {
    await put('web/dist/assets/app.js', 'changed output');
    expect(await start()).toBe(false);
    await rm(join(root, 'dist'), { recursive: true });
    builds = 0;
    await buildIfChanged(root, build);
    expect(builds).toBe(1);
  });
});
