import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startPlatform } from '../../src/app/start.js';
import { loadConfig } from '../../src/platform/config.js';

/** A port nothing listens on: taken from the system, then let go. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('the dashboards’ read models in the configuration', () => {
  it('given nothing set, then PostgreSQL', () => {
    expect(loadConfig({}).readModels).toEqual({ kind: 'postgres' });
  });

  it('given READ_MODELS=mongodb, then its server comes from MONGODB_URL, which it requires', () => {
    const url = 'mongodb://127.0.0.1:27017/?replicaSet=rs0';
    expect(loadConfig({ READ_MODELS: 'mongodb', MONGODB_URL: url }).readModels).toEqual({
      kind: 'mongodb',
      url,
      database: 'pharmacy',
    });
    expect(() => loadConfig({ READ_MODELS: 'mongodb' })).toThrow(
      /MONGODB_URL: required when READ_MODELS=mongodb/,
    );
    expect(() => loadConfig({ READ_MODELS: 'mongodb', MONGODB_URL: 'http://127.0.0.1:27017' })).toThrow(
      /MONGODB_URL: a MongoDB connection string/,
    );
    expect(() => loadConfig({ READ_MODELS: 'kurrentdb' })).toThrow(/READ_MODELS/);
  });

  it('given READ_MODELS=mongodb and no server at MONGODB_URL, then the platform refuses to start and says what is missing', async () => {
    const port = await closedPort();
    // PORT 1 would need privileges: the refusal comes before anything listens.
    const config = loadConfig({
      READ_MODELS: 'mongodb',
      MONGODB_URL: `mongodb://127.0.0.1:${port}/`,
      PORT: '1',
    });
    const error = await startPlatform(config).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      new RegExp(`^READ_MODELS=mongodb but MongoDB at 127.0.0.1:${port} does not answer`),
    );
    expect(error?.message).toContain('unset READ_MODELS');
  }, 30_000);
});
