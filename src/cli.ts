#!/usr/bin/env node
import { Command } from 'commander';
import { openReadModelsOf } from './app/compose.js';
import { auditAnchorSink, loadPlatformKeys } from './app/platformKeys.js';
import { startPlatform } from './app/start.js';
import {
  describeDrugImport,
  describePharmacyImport,
  importDrugs,
  importPharmacies,
} from './cli/importReferenceData.js';
import { rebuild } from './cli/rebuild.js';
import { type AppDatabase, openAppDatabase } from './eventstore/postgres/appRole.js';
import { createPool } from './eventstore/postgres/database.js';
import { createPostgresLeases } from './eventstore/postgres/lease.js';
import { createPostgresEventStore } from './eventstore/postgres/postgresEventStore.js';
import { openPostgresReplay } from './eventstore/postgres/replay.js';
import { systemClock } from './platform/clock.js';
import { type Config, loadConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { anchorAuditHead, fileAnchors } from './projections/audit/anchors.js';
import { verifyAuditTrail } from './projections/audit/verifyAudit.js';

const program = new Command()
  .name('pharmacy')
  .description(
    'Event-sourced pharmacy order platform: US specialty prescriptions and UK online consultations',
  );

/** PostgreSQL's own log lines only when asked for: LOG_LEVEL=debug. */
const debugLog = (config: Config) =>
  config.logLevel === 'debug' ? (line: string) => console.error(`postgres: ${line}`) : undefined;

/** Migrated and granted as the owner; `work` gets the app role's connection. */
const withDatabase = async <T>(config: Config, work: (db: AppDatabase) => Promise<T>): Promise<T> => {
  const db = await openAppDatabase({
    databaseUrl: config.databaseUrl,
    migrationDatabaseUrl: config.migrationDatabaseUrl,
    serverLog: debugLog(config),
  });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
};

program
  .command('start')
  .description(
    'start the API, process managers and projections against the vendors configured by environment; seeds nothing (import drugs and pharmacies first)',
  )
  .action(async () => {
    await startPlatform(loadConfig());
  });

program
  .command('migrate')
  .description(
    'apply the numbered SQL migrations not yet applied (as the owner) and grant the app role its rights',
  )
  .action(async () => {
    await withDatabase(loadConfig(), async (db) => {
      console.log(db.applied.length ? `applied ${db.applied.join(', ')}` : 'database is up to date');
      console.log(`the platform connects as ${db.appRole}`);
    });
  });

program
  .command('rebuild')
  .description('empty a projection and replay every event into it, with progress and a final events/s figure')
  .argument('<projection>', 'projection name, e.g. audit, or mongodb:orders for a MongoDB dashboard view')
  .action(async (name: string) => {
    const config = loadConfig();
    const keys = await loadPlatformKeys(config);
    const mongo = name.startsWith('mongodb:') ? await openReadModelsOf(config) : null;
    const report = await withDatabase(config, async (db) => {
      // Emptying a read model (the audit trail above all) is the owner's right, not the app's.
      const owner = createPool(db.ownerConnectionString, {
        poolSize: 4,
        applicationName: 'pharmacy-rebuild',
      });
      const leases = createPostgresLeases({
        connectionString: db.ownerConnectionString,
        applicationName: 'pharmacy-rebuild',
      });
      const events = openPostgresReplay({
        pool: owner,
        connectionString: db.ownerConnectionString,
        log: createLogger({ level: 'warn', destination: process.stderr }),
      });
      try {
        return await rebuild({ pool: owner }, name, {
          replay: events.replay,
          checkpoints: events.checkpoints,
          leases,
          auditKey: keys.audit,
          store: createPostgresEventStore(owner),
          documents: mongo?.sink,
        });
      } finally {
        await events.close();
        await leases.close();
        await owner.end();
      }
    }).finally(() => mongo?.close());
    console.log(
      `rebuilt ${name}: ${report.events} events in ${report.seconds.toFixed(2)} s (${Math.round(report.eventsPerSecond)} events/s)`,
    );
  });

program
  .command('import-drugs')
  .description(
    'import the FDA NDC Directory (product.txt and package.txt, tab-separated) into the drug catalogue: new packages added unclassified, changed ones updated',
  )
  .argument('<dir>', 'folder holding product.txt and package.txt, as ndctext.zip unpacks')
  .action(async (dir: string) => {
    const report = await withDatabase(loadConfig(), (db) =>
      importDrugs(createPostgresEventStore(db.pool), dir, { progress: process.stderr.isTTY ?? false }),
    );
    console.log(describeDrugImport(dir, report));
  });

program
  .command('import-pharmacies')
  .description(
    'import pharmacies from a CSV file (id,name,npi,… — see README): new ones registered, changed ones updated, faulty rows reported',
  )
  .argument('<file>', 'the CSV file')
  .action(async (file: string) => {
    const report = await withDatabase(loadConfig(), (db) =>
      importPharmacies(createPostgresEventStore(db.pool), file, { progress: process.stderr.isTTY ?? false }),
    );
    console.log(describePharmacyImport(file, report));
    if (report.rejected.length > 0) process.exitCode = 2;
  });

program
  .command('verify-audit')
  .description(
    'check the audit trail: its keyed hash chain, that every event has exactly one row whose content hash ' +
      'matches the event, that no row lacks its event, and that every exported anchor still matches',
  )
  .option(
    '--anchors <dir>',
    'the directory of anchors the auditor kept (default: where the platform exports them)',
  )
  .action(async (options: { anchors?: string }) => {
    const config = loadConfig();
    const keys = await loadPlatformKeys(config);
    const anchors = options.anchors ? fileAnchors(options.anchors) : auditAnchorSink(config);
    const result = await withDatabase(config, (db) =>
      verifyAuditTrail(db.pool, { key: keys.audit, anchors }),
    );
    if (result.ok) {
      console.log(
        `audit trail intact: ${result.rows} rows, ${result.anchors} anchors from ${anchors.describe} match, last hash ${result.lastHash}`,
      );
    } else {
      console.error(`audit trail BROKEN (${result.rows} rows read):`);
      for (const finding of result.findings) console.error(`  row ${finding.seq}: ${finding.reason}`);
      process.exitCode = 1;
    }
  });

program
  .command('anchor-audit')
  .description(
    'sign the audit chain’s current head and export it (the platform also does so every AUDIT_ANCHOR_MINUTES)',
  )
  .action(async () => {
    const config = loadConfig();
    const keys = await loadPlatformKeys(config);
    const anchor = await withDatabase(config, (db) =>
      anchorAuditHead(db.pool, keys.audit, auditAnchorSink(config), systemClock),
    );
    console.log(
      anchor
        ? `anchored row ${anchor.seq} (${anchor.hash}) at ${anchor.location}`
        : 'the audit trail is empty',
    );
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
