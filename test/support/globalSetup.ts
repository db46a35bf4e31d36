import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../src/eventstore/postgres/database.js';
import { projectRoot } from '../../src/platform/paths.js';

let server: EmbeddedServer | undefined;

/** Tests run on DATABASE_URL when set, otherwise on an embedded PostgreSQL started once per run. */
export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    server = await startEmbeddedPostgres({
      dataDir: join(projectRoot, '.data', 'test-postgres'),
      embeddedPort: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54331),
      // Two files at a time, one of them possibly three platform instances (each holds a connection
      // per lease besides its pools).
      maxConnections: 500,
    });
    url = server.connectionString;
  }
  project.provide('databaseUrl', url);
  return async () => {
    await server?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
