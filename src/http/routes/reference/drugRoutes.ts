import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DrugCatalogue } from '../../../commands/catalogue/drugCatalogue.js';
import { DEA_SCHEDULES, STORAGE_CLASSES, UNCLASSIFIED } from '../../../domain/catalogue/drug.js';
import { normaliseNdc } from '../../../domain/prescription/identifiers.js';
import type { SqlPool } from '../../../platform/sql.js';
import { drugsAwaitingReview, findDrug, searchDrugs } from '../../../projections/catalogue/drugCatalogue.js';
import { problem } from '../../auth/problem.js';
import { pathParams } from '../../contracts/params.js';
import { sendError } from '../../errors.js';
import { actorOf, optionalText, pageQuery, REFERENCE_READERS, reasonText, text } from './shared.js';

const listing = z.object({
  proprietaryName: optionalText(200),
  genericName: optionalText(300),
  strength: optionalText(120),
  dosageForm: optionalText(120),
  route: optionalText(120),
  labeler: optionalText(200),
  packageDescription: optionalText(500),
  deaSchedule: z.enum(DEA_SCHEDULES).nullable().optional(),
});
const fullListing = listing.transform((value) => ({
  proprietaryName: value.proprietaryName ?? null,
  genericName: value.genericName ?? null,
  strength: value.strength ?? null,
  dosageForm: value.dosageForm ?? null,
  route: value.route ?? null,
  labeler: value.labeler ?? null,
  packageDescription: value.packageDescription ?? null,
  deaSchedule: value.deaSchedule ?? null,
}));
const family = optionalText(60).transform((value) => (value ? value.toLowerCase() : null));
const handling = {
  specialty: z.boolean().default(false),
  limitedDistribution: family,
  rems: z.boolean().default(false),
};
const addBody = z.object({
  ndc: text(13),
  listing: fullListing,
  storageClass: z.enum(STORAGE_CLASSES).nullable().default(null),
  ...handling,
});
const classifyBody = z.object({
  storageClass: z.enum(STORAGE_CLASSES),
  ...handling,
  reason: reasonText,
  /** Only for an NDC the catalogue does not have yet. */
  listing: fullListing.optional(),
});
const listQuery = z.object({
  q: text(100).optional(),
  unclassified: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

/** 11 digits or a hyphenated label code → NDC-11; answers 400 itself when it is neither. */
const ndcOr400 = (value: string, reply: FastifyReply): string | undefined => {
  const ndc = normaliseNdc(value.trim());
  if (ndc.ok) return ndc.ndc11;
  problem(reply, 400, 'Invalid NDC', ndc.reason);
  return undefined;
};

/**
 * The drug catalogue: everyone on staff reads it, the admin adds and edits products, a pharmacist
 * (or the admin) classifies how each is kept. Every change is an event on the product's stream.
 */
export const drugRoutes: FastifyPluginAsyncZod<{ pool: SqlPool; catalogue: DrugCatalogue }> = async (
  app,
  options,
) => {
  const { pool, catalogue } = options;
  const readers = { preHandler: app.requireRoles(...REFERENCE_READERS) };
  const admin = { preHandler: app.requireRoles('admin') };
  const classifiers = { preHandler: app.requireRoles('pharmacist', 'admin') };
  const tags = ['reference data: drugs'];

  app.get(
    '/api/reference/drugs',
    {
      ...readers,
      schema: { tags, summary: 'Search the drug catalogue', querystring: listQuery },
    },
    async (request) => {
      const query = request.query;
      const found = await searchDrugs(pool, {
        q: query.q,
        unclassified: query.unclassified === 'true',
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { ...found, page: query.page, pageSize: query.pageSize };
    },
  );

  app.get(
    '/api/reference/drugs/review',
    {
      preHandler: app.requireRoles('pharmacist', 'admin', 'ops'),
      schema: { tags, summary: 'NDCs orders are waiting on: unknown or without a storage class' },
    },
    async () => ({ items: await drugsAwaitingReview(pool) }),
  );

  app.get(
    '/api/reference/drugs/:ndc',
    { ...readers, schema: { params: pathParams('ndc'), tags, summary: 'One catalogue entry' } },
    async (request, reply) => {
      const ndc11 = ndcOr400(request.params.ndc, reply);
      if (!ndc11) return reply;
      const entry = await findDrug(pool, ndc11);
      return (
        entry ?? problem(reply, 404, 'Not in the catalogue', `NDC ${ndc11} is not in the drug catalogue.`)
      );
    },
  );

  app.post(
    '/api/reference/drugs',
    { ...admin, schema: { tags, summary: 'Add a product to the catalogue', body: addBody } },
    async (request, reply) => {
      const body = request.body;
      const ndc11 = ndcOr400(body.ndc, reply);
      if (!ndc11) return reply;
      try {
        const drug = {
          ndc11,
          ...body.listing,
          ...UNCLASSIFIED,
          storageClass: body.storageClass,
          specialty: body.specialty,
          limitedDistribution: body.limitedDistribution,
          rems: body.rems,
        };
        const result = await catalogue.add(drug, 'admin', actorOf(request));
        return reply.code(201).send({ drug: result.state.drug });
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.put(
    '/api/reference/drugs/:ndc/listing',
    {
      ...admin,
      schema: {
        params: pathParams('ndc'),
        tags,
        summary: 'Edit what the catalogue says about a product',
        body: listing,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const ndc11 = ndcOr400(request.params.ndc, reply);
      if (!ndc11) return reply;
      try {
        const result = await catalogue.updateListing(ndc11, body, 'admin', actorOf(request));
        return { drug: result.state.drug, changed: result.events.length > 0 };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.post(
    '/api/reference/drugs/:ndc/classification',
    {
      ...classifiers,
      schema: {
        params: pathParams('ndc'),
        tags,
        summary: 'Classify how a product is kept (adds an unknown NDC); orders waiting on it then route',
        body: classifyBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const ndc11 = ndcOr400(request.params.ndc, reply);
      if (!ndc11) return reply;
      const source = request.staff!.roles.includes('pharmacist') ? 'pharmacist' : 'admin';
      try {
        const result = await catalogue.classify(
          ndc11,
          {
            storageClass: body.storageClass,
            specialty: body.specialty,
            limitedDistribution: body.limitedDistribution,
            rems: body.rems,
          },
          body.reason,
          source,
          actorOf(request),
          body.listing,
        );
        return { drug: result.state.drug, changed: result.events.length > 0 };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );
};
