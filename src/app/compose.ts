import type { FastifyInstance } from 'fastify';
import { createOrderCommands, type OrderCommands } from '../commands/prescription/orderCommands.js';
import { PHARMACY_NETWORK } from '../domain/routing/network.js';
import { buildHttpApp } from '../http/app.js';
import type { CreatedStaffUser } from '../http/auth/index.js';
import { ensureInitialStaff } from '../http/auth/index.js';
import { registerWebServer } from '../http/web/registerWebServer.js';
import { type Clock, MINUTE, systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { openPlatform, type Platform } from '../platform/platform.js';
import { loadSecret } from '../platform/secrets.js';
import { prescriptionProcesses } from '../processes/prescription/index.js';
import { allProjections } from '../projections/index.js';
import { seedPharmacyNetwork } from '../projections/pharmacies.js';
import type { Vendors } from './vendors.js';

export type Composition = {
  platform: Platform;
  http: FastifyInstance;
  commands: OrderCommands;
  vendors: Vendors;
  intakeApiKey: string;
  linkSecret: string;
  publicUrl: string;
  createdStaff: CreatedStaffUser[];
  close(): Promise<void>;
};

export type ComposeOptions = {
  config: Config;
  vendors: Vendors;
  clock?: Clock;
  /** Where patients' links point; defaults to PUBLIC_URL or this server's own address. */
  publicUrl?: string;
  /** Also create one dev user per role (local installs and tests). */
  devUsers?: boolean;
  log?: (line: string) => void;
  pollIntervalMs?: number;
  timerIntervalMs?: number;
};

/** Wires one running platform: database, processes, projections, HTTP. Nothing listens until `listen`. */
export const composePlatform = async (options: ComposeOptions): Promise<Composition> => {
  const { config, vendors } = options;
  const clock = options.clock ?? systemClock;
  const platform = await openPlatform({
    databaseUrl: config.databaseUrl,
    clock,
    log: options.log,
    pollIntervalMs: options.pollIntervalMs,
    timerIntervalMs: options.timerIntervalMs,
  });
  const pool = platform.db.pool;
  const linkSecret = await loadSecret(pool, 'link-secret', config.linkSecret);
  const intakeApiKey = await loadSecret(pool, 'intake-api-key', config.intakeApiKey || undefined);
  const publicUrl = (options.publicUrl ?? config.publicUrl ?? `http://${config.host}:${config.port}`).replace(
    /\/$/,
    '',
  );
  await vendors.documents
    .ensureBucket?.()
    .catch((error: Error) => options.log?.(`document bucket not ready: ${error.message}`));

  await seedPharmacyNetwork(platform.store, clock, PHARMACY_NETWORK);
  const createdStaff = await ensureInitialStaff(
    pool,
    { adminEmail: config.adminEmail, adminPassword: config.adminPassword, devUsers: options.devUsers },
    clock,
  );

  const commands = createOrderCommands({
    store: platform.store,
    pool,
    clock,
    documents: vendors.documents,
    linkSecret,
    linkTtlHours: config.magicLinkTtlHours,
  });
  const processes = prescriptionProcesses({
    commands,
    pool,
    clock,
    mailer: vendors.mailer,
    payments: vendors.payments,
    carrier: vendors.carrier,
    adjudicator: vendors.adjudicator,
    linkSecret,
    publicUrl,
    trackingPollMs: config.trackingPollMinutes * MINUTE,
  });
  platform.run({ projections: allProjections(), processes });

  const http = await buildHttpApp({
    pool,
    store: platform.store,
    clock,
    commands,
    processes: platform.processes,
    payments: vendors.payments,
    carrier: vendors.carrier,
    intakeApiKey,
    linkSecret,
    logLevel: config.logLevel,
    secureCookies: publicUrl.startsWith('https:'),
    extend: (app) =>
      registerWebServer(app, { pool, store: platform.store, clock, notifier: platform.notifier }),
  });

  return {
    platform,
    http,
    commands,
    vendors,
    intakeApiKey,
    linkSecret,
    publicUrl,
    createdStaff,
    async close() {
      await http.close();
      await platform.close();
    },
  };
};
