// `npm start`'s first step: build only when a source file changed since the last build. The
// fingerprint is every input's path, size and modification time; the last build's is kept in
// dist/ beside what it built, so deleting dist/ (or either output) always rebuilds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** What the build reads. */
const INPUT_DIRS = ['src', 'sandbox', 'web'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Outputs and dependencies inside the input folders, never inputs themselves. */
const SKIPPED = new Set(['node_modules', 'dist', '.data']);
/** Without these the platform cannot start, whatever the fingerprint says. */
const OUTPUTS = ['dist/sandbox/local.js', 'web/dist/index.html'];
export const FINGERPRINT_FILE = 'dist/.build-fingerprint';

const filesUnder = async (root: string, dir: string): Promise<string[]> => {
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries
      .filter((e) => !SKIPPED.has(e.name))
      .map((e) =>
        e.isDirectory() ? filesUnder(root, join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
      ),
  );
  return nested.flat();
};

export const sourceFingerprint = async (root: string): Promise<string> => {
  const files = [
    ...(await Promise.all(INPUT_DIRS.map((d) => filesUnder(root, d)))).flat(),
    ...INPUT_FILES,
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const info = await stat(join(root, file)).catch(() => null);
    hash.update(`${relative(root, join(root, file))}\0${info ? `${info.size}:${info.mtimeMs}` : 'absent'}\n`);
  }
  return hash.digest('hex');
};

export const needsBuild = async (root: string): Promise<boolean> => {
  if (OUTPUTS.some((output) => !existsSync(join(root, output)))) return true;
  const last = await readFile(join(root, FINGERPRINT_FILE), 'utf8').catch(() => '');
  return last.trim() !== (await sourceFingerprint(root));
};

/** Builds with `npm run build` when needed; returns whether it did. */
export const buildIfChanged = async (root: string, build = () => runBuild(root)): Promise<boolean> => {
  if (!(await needsBuild(root))) return false;
  // Taken before building: a file saved during the build makes the next start build again.
  const fingerprint = await sourceFingerprint(root);
  build();
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(join(root, FINGERPRINT_FILE), `${fingerprint}\n`);
  return true;
};

const runBuild = (root: string) => {
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status ?? result.signal})`);
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replaceAll('\\', '/'))) {
  buildIfChanged(process.cwd())
    .then((built) => {
      if (!built) console.log('build is up to date: skipped (delete dist/ to force one)');
    })
    .catch((error: Error) => {
      console.error(error.message);
      process.exit(1);
    });
}
