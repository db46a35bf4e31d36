import type { FastifyPluginAsync } from 'fastify';
import { consultationCatalogueRoutes } from './consultationCatalogue.js';
import { consultationPatientRoutes } from './consultationPatient.js';
import { consultationPharmacyRoutes } from './consultationPharmacy.js';
import { consultationReviewRoutes } from './consultationReview.js';
import type { ConsultationRoutesOptions } from './consultationShared.js';
import { consultationWebhookRoutes } from './consultationWebhooks.js';

export type { ConsultationRoutesOptions } from './consultationShared.js';

/** The UK consultation flow's HTTP edge: catalogue, patient, clinicians, pharmacy team, webhooks. */
export const consultationRoutes: FastifyPluginAsync<ConsultationRoutesOptions> = async (app, options) => {
  await app.register(consultationCatalogueRoutes, { pool: options.pool });
  await app.register(consultationPatientRoutes, options);
  await app.register(consultationReviewRoutes, options);
  await app.register(consultationPharmacyRoutes, options);
  await app.register(consultationWebhookRoutes, options);
};
