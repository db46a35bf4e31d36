import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/platform/paths.js';

export type Child = {
  process: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
};

/** Starts a TypeScript file under test/support in a separate Node process. */
export const startChild = (script: string, env: Record<string, string>): Child => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test', 'support', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', () => {});
  child.stdout?.on('data', () => {});
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, pid: child.pid!, exited, kill: (signal = 'SIGKILL') => child.kill(signal) };
};
