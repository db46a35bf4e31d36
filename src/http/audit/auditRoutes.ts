import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { recordPatientDataAccess } from '../../commands/accessLog.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { verifyAuditTrail } from '../../projections/audit/verifyAudit.js';
import { jsonSchema, parseOr400 } from '../validation.js';
import { type AuditFilter, auditExportStream, recentEntries } from './auditExport.js';

export type AuditRoutesOptions = { pool: pg.Pool; store: EventStore; clock: Clock };

const AUDITORS = ['auditor', 'admin'] as const;

/** An instant, or a day (its midnight UTC): `to` is exclusive, so `from=2026-11-01&to=2026-12-01` is November. */
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value) => new Date(value));
/** Any order id a stream name can carry, whichever flow created it. */
const orderId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

const exportQuery = z
  .object({
    format: z.enum(['csv', 'ndjson']).default('csv'),
    from: instant.optional(),
    to: instant.optional(),
    orderId: orderId.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });

const entriesQuery = z.object({
  orderId: orderId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/** `audit-order-<id>.csv`, `audit-2026-11-01-2026-12-01.ndjson`, `audit-all.csv`: safe in a header. */
const exportFilename = (filter: AuditFilter, format: string) => {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const parts = [
    filter.orderId ? `order-${filter.orderId}` : '',
    filter.from ? day(filter.from) : filter.to ? 'start' : '',
    filter.to ? day(filter.to) : '',
  ].filter(Boolean);
  return `audit-${parts.join('-') || 'all'}.${format}`.replaceAll(/[^A-Za-z0-9_.-]/g, '_');
};

/** The query as recorded in the access trail, so the trail says what was exported, not only that. */
const describeExport = (query: z.infer<typeof exportQuery>) => {
  const params = new URLSearchParams({ format: query.format });
  if (query.from) params.set('from', query.from.toISOString());
  if (query.to) params.set('to', query.to.toISOString());
  if (query.orderId) params.set('orderId', query.orderId);
  return `audit-export?${params}`;
};

/** The auditor's endpoints: export the trail, verify its hash chain, list recent rows. */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (app, options) => {
  const { pool, store, clock } = options;
  const auditors = { preHandler: app.requireRoles(...AUDITORS) };

  const recordAccess = (request: FastifyRequest, subjectId: string | undefined, resource: string) =>
    recordPatientDataAccess(store, clock, {
      // Exports across orders are filed under the staff member, as order lists are.
      subjectId: subjectId ?? `staff${request.staff!.id}`,
      actor: `staff:${request.staff!.id}`,
      resource,
      correlationId: request.id,
    });

  app.get(
    '/api/audit/export',
    {
      ...auditors,
      schema: {
        tags: ['audit'],
        summary: 'Export the audit trail (CSV or NDJSON) for a date range on occurred_at or one order',
        querystring: jsonSchema(exportQuery),
      },
    },
    async (request, reply) => {
      const query = parseOr400(exportQuery, request.query, reply, 'query');
      if (!query) return reply;
      const filter: AuditFilter = { from: query.from, to: query.to, orderId: query.orderId };
      // Recorded before the first byte leaves: an export cut short still counts as read.
      await recordAccess(request, query.orderId, describeExport(query));
      return reply
        .type(CONTENT_TYPES[query.format])
        .header('content-disposition', `attachment; filename="${exportFilename(filter, query.format)}"`)
        .header('cache-control', 'no-store')
        .send(auditExportStream(pool, filter, query.format));
    },
  );

  app.get(
    '/api/audit/verify',
    { ...auditors, schema: { tags: ['audit'], summary: 'Recompute the hash chain; report the first break' } },
    async () => verifyAuditTrail(pool),
  );

  app.get(
    '/api/audit/entries',
    {
      ...auditors,
      schema: {
        tags: ['audit'],
        summary: 'The most recent audit rows, optionally of one order; `before` pages back',
        querystring: jsonSchema(entriesQuery),
      },
    },
    async (request, reply) => {
      const query = parseOr400(entriesQuery, request.query, reply, 'query');
      if (!query) return reply;
      const items = await recentEntries(pool, query);
      if (query.orderId && items.length > 0) await recordAccess(request, query.orderId, 'audit-entries');
      return { items, nextBefore: items.length === query.limit ? items.at(-1)!.seq : null };
    },
  );
};
