import type { EventStore } from '../eventstore/types.js';
import { createAuditProjection } from './audit/auditProjection.js';
import type { AuditKey } from './audit/auditRecord.js';
import { drugCatalogueProjection } from './catalogue/drugCatalogueProjection.js';
import { consultationsProjection } from './consultations/consultationsProjection.js';
import { ukProductTermsProjection } from './consultations/productTermsProjection.js';
import { consultationStockProjection } from './consultations/stockProjection.js';
import { integrationIncidentsProjection, unmatchedPaymentsProjection } from './integrationIncidents.js';
import { enrollmentLinksProjection, ordersProjection } from './orders/ordersProjection.js';
import { pharmaciesProjection } from './pharmacies.js';
import type { Projection } from './runtime.js';
import { smsLinesProjection } from './smsLines.js';
import { createStaffDirectoryProjection } from './staffDirectory.js';

/** The projections every deployment runs, whatever pharmacy flows sit on top. */
export const coreProjections = (auditKey: AuditKey): readonly Projection[] => [
  createAuditProjection(auditKey),
  integrationIncidentsProjection,
  unmatchedPaymentsProjection,
];

/** What the projections need besides the events they are handed. */
export type ProjectionDeps = {
  auditKey: AuditKey;
  /** The platform's event store, for a projection that folds a whole stream (the staff directory). */
  store: Pick<EventStore, 'readStream'>;
};

/** Every projection the platform runs, by name; flows add theirs here. */
export const allProjections = ({ auditKey, store }: ProjectionDeps): readonly Projection[] => [
  ...coreProjections(auditKey),
  ordersProjection,
  enrollmentLinksProjection,
  pharmaciesProjection,
  drugCatalogueProjection,
  consultationsProjection,
  consultationStockProjection,
  ukProductTermsProjection,
  createStaffDirectoryProjection(store),
  smsLinesProjection,
];

export const findProjection = (name: string, deps: ProjectionDeps): Projection | undefined =>
  allProjections(deps).find((p) => p.name === name);
