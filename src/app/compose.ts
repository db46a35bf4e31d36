import type { FastifyInstance } from 'fastify';
import {
  type ConsultationCommands,
  createConsultationCommands,
} from '../commands/consultation/consultationCommands.js';
import { createStockCommands, seedStock } from '../commands/consultation/stock.js';
import { createOrderCommands, type OrderCommands } from '../commands/prescription/orderCommands.js';
import { CATALOGUE } from '../domain/consultation/catalogue.js';
import { PHARMACY_NETWORK } from '../domain/routing/network.js';
import { buildHttpApp } from '../http/app.js';
import type { CreatedStaffUser } from '../http/auth/index.js';
import { ensureInitialStaff } from '../http/auth/index.js';
import { consultationRoutes } from '../http/routes/consultationRoutes.js';
import { consultationPaymentHandler } from '../http/routes/consultationWebhooks.js';
import { registerWebServer } from '../http/web/registerWebServer.js';
import { type Clock, MINUTE, systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { openPlatform, type Platform } from '../platform/platform.js';
import { loadSecret } from '../platform/secrets.js';
import { consultationProcesses } from '../processes/consultation/index.js';
import { prescriptionProcesses } from '../processes/prescription/index.js';
import { allProjections } from '../projections/index.js';
import { seedPharmacyNetwork } from '../projections/pharmacies.js';
import type { Vendors } from './vendors.js';

export type Composition = {
  platform: Platform;
  http: FastifyInstance;
  commands: OrderCommands;
  /** The UK consultation flow, when its vendors are configured. */
  consultations: ConsultationCommands | null;
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
  const consultations = vendors.uk
    ? await composeConsultations(platform, options, { linkSecret, publicUrl })
    : null;
  platform.run({
    projections: allProjections(),
    processes: [...processes, ...(consultations?.processes ?? [])],
  });

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
    otherPaymentHandlers: consultations ? [consultationPaymentHandler(consultations.commands)] : [],
    extend: async (app) => {
      if (consultations && vendors.uk) {
        await app.register(consultationRoutes, {
          pool,
          store: platform.store,
          clock,
          commands: consultations.commands,
          processes: platform.processes,
          documents: vendors.documents,
          prescribing: vendors.uk.prescribing,
          dispatch: vendors.uk.dispatch,
          linkSecret,
        });
      }
      await registerWebServer(app, { pool, store: platform.store, clock, notifier: platform.notifier });
    },
  });

  return {
    platform,
    http,
    commands,
    consultations: consultations?.commands ?? null,
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

/** The UK consultation flow: opening stock, its command service and its process managers. */
const composeConsultations = async (
  platform: Platform,
  options: ComposeOptions,
  links: { linkSecret: string; publicUrl: string },
) => {
  const { config, vendors } = options;
  const uk = vendors.uk!;
  const { store, clock } = platform;
  const pool = platform.db.pool;
  await seedStock(store, clock, CATALOGUE);
  const stock = createStockCommands({ store, clock });
  const commands = createConsultationCommands({
    store,
    pool,
    clock,
    documents: vendors.documents,
    payments: vendors.payments,
    stock,
    ...links,
  });
  const processes = consultationProcesses({
    commands,
    pool,
    clock,
    mailer: vendors.mailer,
    documents: vendors.documents,
    payments: vendors.payments,
    identity: uk.identity,
    prescribing: uk.prescribing,
    pmr: uk.pmr,
    dispatch: uk.dispatch,
    ...links,
    team: {
      ...config.consultation,
      pharmacy: {
        name: 'Northfield Online Pharmacy',
        address: ['12 Northfield Parade', 'Leeds', 'LS1 4AP'],
        email: config.consultation.pharmacyTeamEmail,
      },
    },
  });
  return { commands, processes };
};
