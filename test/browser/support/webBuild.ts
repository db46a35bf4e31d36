import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../../src/platform/paths.js';

const WEB = join(projectRoot, 'web');
export const WEB_DIST = join(WEB, 'dist');
const STAMP = join(WEB_DIST, '.build-stamp');
const LOCK = join(projectRoot, 'test-artifacts', '.web-build.lock');

/** Everything the bundle is made from, the platform modules the app imports included. */
const INPUTS = [
  join(WEB, 'index.html'),
  join(WEB, 'vite.config.ts'),
  join(WEB, 'public', 'favicon.svg'),
  join(projectRoot, 'src', 'projections', 'orders', 'orderView.ts'),
  join(projectRoot, 'src', 'domain', 'prescription', 'orderEvents.ts'),
  join(projectRoot, 'src', 'domain', 'prescription', 'types.ts'),
  join(projectRoot, 'src', 'platform', 'brand.ts'),
];

const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat().sort();
};

const sourceHash = async () => {
  const hash = createHash('sha256');
  for (const file of [...INPUTS, ...(await filesUnder(join(WEB, 'src')))]) {
    hash.update(file);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Test files run in parallel processes: one builds while the others wait for its lock. */
const withLock = async <T>(run: () => Promise<T>): Promise<T> => {
  await mkdir(join(projectRoot, 'test-artifacts'), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const age = await stat(LOCK).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 120_000) await rm(LOCK, { recursive: true, force: true }); // a crashed builder's lock
      await sleep(200);
    }
  }
  try {
    return await run();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
};

/**
 * The server serves `web/dist`, as in production: build it with `npm run build:web`'s own config,
 * unless the build on disk was made from exactly the current sources.
 */
export const ensureWebBuild = () =>
  withLock(async () => {
    const wanted = await sourceHash();
    const current = await readFile(STAMP, 'utf8').catch(() => null);
    if (current === wanted) return;
    // A child process, so the bundle is the production one `npm run build:web` makes (vitest sets NODE_ENV=test).
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--config',
          join(WEB, 'vite.config.ts'),
        ],
        { cwd: projectRoot, env: { ...process.env, NODE_ENV: 'production' } },
        (error, _stdout, stderr) => (error ? reject(new Error(`web build failed: ${stderr}`)) : resolve()),
      ),
    );
    await writeFile(STAMP, wanted);
  });
