import { describe, expect, it } from 'vitest';
import { startPlatform } from '../../src/app/start.js';
import { loadConfig } from '../../src/platform/config.js';

const KURRENTDB = { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false' };

describe('the event store in the configuration', () => {
  it('given nothing set, then PostgreSQL', () => {
    expect(loadConfig({}).eventStore).toEqual({ kind: 'postgres' });
  });

  it('given EVENT_STORE=kurrentdb, then its server comes from KURRENTDB_URL, which it requires', () => {
    expect(loadConfig(KURRENTDB).eventStore).toEqual({ kind: 'kurrentdb', url: KURRENTDB.KURRENTDB_URL });
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(
      /KURRENTDB_URL: required when EVENT_STORE=kurrentdb/,
    );
    expect(() => loadConfig({ ...KURRENTDB, KURRENTDB_URL: 'http://127.0.0.1:2113' })).toThrow(
      /KURRENTDB_URL: a KurrentDB connection string/,
    );
    expect(() => loadConfig({ EVENT_STORE: 'mongodb' })).toThrow(/EVENT_STORE/);
  });

  it('given EVENT_STORE=kurrentdb, then the platform refuses to start and says what is missing', async () => {
    // PORT 1 would need privileges: the refusal comes before anything is opened or listens.
    const start = startPlatform(loadConfig({ ...KURRENTDB, PORT: '1' }));
    const error = await start.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^EVENT_STORE=kurrentdb cannot run the platform yet/);
    expect(error?.message).toContain('subscription runner');
    expect(error?.message).toContain('events table');
    expect(error?.message).toContain('EVENT_STORE=postgres');
  });
});
