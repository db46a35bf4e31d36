import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PharmacyNetwork } from '../../../commands/catalogue/pharmacyNetwork.js';
import { PHARMACY_ID, type PharmacyDetails } from '../../../domain/routing/pharmacy.js';
import { CsvFormatError, readPharmacyCsv } from '../../../domain/routing/pharmacyCsv.js';
import type { SqlPool } from '../../../platform/sql.js';
import { findPharmacy, searchPharmacies } from '../../../projections/pharmacyQueries.js';
import { problem } from '../../auth/problem.js';
import { pathParams } from '../../contracts/params.js';
import { sendError } from '../../errors.js';
import { actorOf, optionalText, pageQuery, REFERENCE_READERS, reasonText, text } from './shared.js';

const state = text(2).transform((value) => value.toUpperCase());
const details = z.object({
  name: text(200),
  npi: text(10),
  ncpdpId: optionalText(7).transform((value) => value ?? null),
  address: z.object({ line1: text(200), city: text(100), state, postalCode: text(10) }),
  location: z
    .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
    .nullable()
    .default(null),
  licensedStates: z.array(state).min(1).max(60),
  acceptedPlans: z.array(z.object({ bin: text(6), pcn: text(10) })).max(100),
  capabilities: z.object({
    specialty: z.boolean(),
    coldChain: z.boolean(),
    frozen: z.boolean().default(false),
    limitedDistribution: z.array(text(60)).max(50).default([]),
  }),
  capacityPerDay: z.number().int().min(1).max(100_000),
  turnaroundHours: z.number().int().min(1).max(720),
}) satisfies z.ZodType<PharmacyDetails, unknown>;
const createBody = details.extend({
  id: text(40).regex(PHARMACY_ID, '2–40 letters, digits or hyphens').optional(),
});
const reasonBody = z.object({ reason: reasonText });
const listQuery = z.object({
  q: text(100).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  ...pageQuery,
});

/** A CSV upload of the whole network or part of it: 5 MB is tens of thousands of pharmacies. */
const CSV_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The pharmacy network: staff read it, the admin adds, edits, suspends and reinstates pharmacies
 * and imports them from CSV. Every change is an event on the pharmacy's stream.
 */
export const pharmacyRoutes: FastifyPluginAsyncZod<{ pool: SqlPool; network: PharmacyNetwork }> = async (
  app,
  options,
) => {
  const { pool, network } = options;
  const readers = { preHandler: app.requireRoles(...REFERENCE_READERS) };
  const admin = { preHandler: app.requireRoles('admin') };
  const tags = ['reference data: pharmacies'];
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: CSV_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/reference/pharmacies',
    {
      ...readers,
      schema: {
        tags,
        summary: 'The network, with open orders per pharmacy',
        querystring: listQuery,
      },
    },
    async (request) => {
      const query = request.query;
      const found = await searchPharmacies(pool, {
        q: query.q,
        status: query.status,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { ...found, page: query.page, pageSize: query.pageSize };
    },
  );

  app.get(
    '/api/reference/pharmacies/:id',
    { ...readers, schema: { params: pathParams('id'), tags, summary: 'One pharmacy' } },
    async (request, reply) =>
      (await findPharmacy(pool, request.params.id)) ??
      problem(reply, 404, 'Pharmacy not found', `There is no pharmacy ${request.params.id}.`),
  );

  app.post(
    '/api/reference/pharmacies',
    { ...admin, schema: { tags, summary: 'Add a pharmacy to the network', body: createBody } },
    async (request, reply) => {
      const body = request.body;
      const { id, ...rest } = body;
      const pharmacyId = id ?? `PH-${rest.npi}`;
      try {
        const result = await network.register(pharmacyId, rest, actorOf(request));
        return reply
          .code(201)
          .send({ id: pharmacyId, status: result.state.status, details: result.state.details });
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.put(
    '/api/reference/pharmacies/:id',
    { ...admin, schema: { params: pathParams('id'), tags, summary: 'Edit a pharmacy', body: details } },
    async (request, reply) => {
      const body = request.body;
      try {
        const result = await network.change(request.params.id, body, actorOf(request));
        return { id: request.params.id, details: result.state.details, changed: result.events.length > 0 };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  for (const [path, act, summary] of [
    ['suspension', network.suspend, 'Suspend a pharmacy: routing stops recommending it'],
    ['reinstatement', network.reinstate, 'Reinstate a suspended pharmacy'],
  ] as const) {
    app.post(
      `/api/reference/pharmacies/:id/${path}`,
      { ...admin, schema: { params: pathParams('id'), tags, summary, body: reasonBody } },
      async (request, reply) => {
        const body = request.body;
        try {
          const result = await act(request.params.id, body.reason, actorOf(request));
          return { id: request.params.id, status: result.state.status };
        } catch (error) {
          return sendError(error, request, reply);
        }
      },
    );
  }

  app.post(
    '/api/reference/pharmacies/import',
    {
      ...admin,
      bodyLimit: CSV_LIMIT_BYTES,
      schema: {
        tags,
        summary:
          'Import pharmacies from CSV (text/csv): new ones added, changed ones updated, faulty rows reported',
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string')
        return problem(reply, 415, 'CSV expected', 'Send the file as text/csv.');
      if (request.body.includes('\u0000'))
        return problem(reply, 400, 'Not a CSV file', 'The file contains NUL bytes.');
      try {
        const read = readPharmacyCsv(request.body);
        const report = await network.importRows(read.rows, actorOf(request));
        return {
          ...report,
          rejected: [
            ...read.rejected.map((r) => ({
              line: r.line,
              id: r.id,
              message: r.problems.map((p) => p.message).join('; '),
            })),
            ...report.rejected,
          ],
        };
      } catch (error) {
        if (error instanceof CsvFormatError)
          return problem(reply, 400, 'Not a pharmacy network CSV', error.message);
        return sendError(error, request, reply);
      }
    },
  );
};
