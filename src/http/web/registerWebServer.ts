import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Notifier } from '../../eventstore/postgres/notifier.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Brand } from '../../platform/brand.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import { type AuditRoutesOptions, auditRoutes } from '../audit/auditRoutes.js';
import { LIVE_MAX_PAYLOAD, type LiveRoutesOptions, liveRoutes } from '../live/liveRoutes.js';
import { brandRoutes } from './brandRoutes.js';
import { webAppRoutes } from './webAppRoutes.js';

export type WebServerDeps = {
  pool: SqlPool;
  store: EventStore;
  clock: Clock;
  notifier: Notifier;
  /** Where the live feed reads events: the platform's shared tail. */
  readEvents?: LiveRoutesOptions['readEvents'];
  /** The built front end; `web/dist` unless given. */
  webRoot?: string;
  audit: AuditRoutesOptions['audit'];
  brand: Brand;
  /** Staff sessions' idle timeout, for the live socket's session checks. */
  idleTimeoutMs?: number;
};

/**
 * What the web front end needs from the server: live updates, the auditor's endpoints and the app
 * itself. Call it from `buildHttpApp`'s `extend` hook, after the staff auth plugin is in place.
 */
export const registerWebServer = async (app: FastifyInstance, deps: WebServerDeps): Promise<void> => {
  // At the root, so an upgrade request to any other route is closed rather than left hanging.
  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: LIVE_MAX_PAYLOAD } });
  const { pool, store, clock, notifier } = deps;
  await app.register(liveRoutes, {
    pool,
    store,
    clock,
    notifier,
    readEvents: deps.readEvents,
    idleTimeoutMs: deps.idleTimeoutMs,
  });
  await app.register(brandRoutes, { brand: deps.brand });
  await app.register(auditRoutes, { pool, store, clock, audit: deps.audit, reportTitle: deps.brand.name });
  await app.register(webAppRoutes, { root: deps.webRoot, title: deps.brand.name });
};
