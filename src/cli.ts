#!/usr/bin/env node
import { Command } from 'commander';
import { startPlatform } from './app/start.js';
import { rebuild } from './cli/rebuild.js';
import { migrate } from './eventstore/postgres/migrate.js';
import { type Config, loadConfig } from './platform/config.js';
import { openDatabase } from './platform/database.js';
import { verifyAuditTrail } from './projections/audit/verifyAudit.js';

const program = new Command()
  .name('pharmacy')
  .description(
    'Event-sourced pharmacy order platform: US specialty prescriptions and UK online consultations',
  );

/** PostgreSQL's own log lines only when asked for: LOG_LEVEL=debug. */
const debugLog = (config: Config) =>
  config.logLevel === 'debug' ? (line: string) => console.error(line) : undefined;

const withDatabase = async <T>(
  work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> => {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, serverLog: debugLog(config) });
  try {
    await migrate(db.pool);
    return await work(db);
  } finally {
    await db.close();
  }
};

program
  .command('start')
  .description(
    'start the API, process managers, projections and (on the embedded default) the local vendor stand-ins',
  )
  .action(async () => {
    await startPlatform(loadConfig());
  });

program
  .command('migrate')
  .description('apply the numbered SQL migrations not yet applied')
  .action(async () => {
    const config = loadConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, serverLog: debugLog(config) });
    try {
      const applied = await migrate(db.pool);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await db.close();
    }
  });

program
  .command('rebuild')
  .description('empty a projection and replay every event into it, with progress and a final events/s figure')
  .argument('<projection>', 'projection name, e.g. audit')
  .action(async (name: string) => {
    const report = await withDatabase((db) => rebuild(db, name));
    console.log(
      `rebuilt ${name}: ${report.events} events in ${report.seconds.toFixed(2)} s (${Math.round(report.eventsPerSecond)} events/s)`,
    );
  });

program
  .command('verify-audit')
  .description('recompute the audit trail hash chain and report the first broken link')
  .action(async () => {
    const result = await withDatabase((db) => verifyAuditTrail(db.pool));
    if (result.ok) {
      console.log(`audit trail intact: ${result.rows} rows, last hash ${result.lastHash}`);
    } else {
      console.error(
        `audit trail BROKEN at row ${result.brokenAt.seq}: ${result.brokenAt.reason} (${result.rows} rows verified before it)`,
      );
      process.exitCode = 1;
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
