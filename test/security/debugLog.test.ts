import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startLocalPlatform } from '../../sandbox/inProcess.js';
import { logCapture } from '../support/logCapture.js';

/**
 * Finding 6: README says LOG_LEVEL=debug also prints PostgreSQL's own log, but the platform never
 * passed the embedded server's output on. Here the platform starts its own embedded server (no
 * DATABASE_URL), as `npm start` does, and its log is read.
 */
let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('LOG_LEVEL=debug (finding 6)', () => {
  it('prints the embedded PostgreSQL server’s own log lines among the platform’s', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-debug-log-'));
    const logs = logCapture();
    const platform = await startLocalPlatform({
      databaseUrl: '',
      env: { LOG_LEVEL: 'debug' },
      database: { dataDir: join(dataDir, 'postgres'), embeddedPort: await freePort() },
      logStream: logs.stream,
    });
    try {
      const messages = logs.records().map((record) => record.msg);
      expect(messages.filter((msg) => msg.startsWith('postgres: ')).length).toBeGreaterThan(0);
      expect(messages.join('\n')).toMatch(/postgres: .*database system is ready to accept connections/);
    } finally {
      await platform.close();
    }
  }, 120_000);
});
