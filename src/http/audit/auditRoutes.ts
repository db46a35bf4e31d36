import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordPatientDataAccess } from '../../commands/accessLog.js';
import type { EventStore } from '../../eventstore/types.js';
import { complianceReportPdf } from '../../integrations/documents/pdf/complianceReport.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import type { Anchor, AnchorSource } from '../../projections/audit/anchors.js';
import { type AuditFilter, recentEntries } from '../../projections/audit/auditQueries.js';
import type { AuditKey } from '../../projections/audit/auditRecord.js';
import { complianceReport } from '../../projections/audit/complianceReport.js';
import { verifyAuditTrail } from '../../projections/audit/verifyAudit.js';
import { problem } from '../auth/problem.js';
import {
  auditAnchor,
  auditEntries,
  auditVerification,
  complianceReport as complianceReportSchema,
} from '../contracts/audit.js';
import { CONSULTATION_ID } from '../routes/consultationShared.js';
import { auditExportStream } from './auditExport.js';
import { complianceReportCsv } from './complianceCsv.js';

export type AuditRoutesOptions = {
  pool: SqlPool;
  store: EventStore;
  clock: Clock;
  audit: {
    key: AuditKey;
    /** The signed heads exported so far, as the auditor keeps them. */
    anchors: AnchorSource;
    anchorNow(): Promise<(Anchor & { location: string }) | null>;
  };
  /** Heads the compliance report's PDF: the pharmacy's brand. */
  reportTitle: string;
};

const AUDITORS = ['auditor', 'admin'] as const;

/** An instant, or a day (its midnight UTC): `to` is exclusive, so `from=2026-11-01&to=2026-12-01` is November. */
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value) => new Date(value));
/** Any order id a stream name can carry, whichever flow created it. */
const orderId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const consultationId = z.string().regex(CONSULTATION_ID, 'a consultation id (26 characters)');
/** Printable text without control characters: a patient reference, MRN, e-mail, staff id or event type. */
const term = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters');

/** One case at most: an order or a UK consultation. */
const oneCase = (q: { orderId?: string; consultationId?: string }) => !(q.orderId && q.consultationId);
const oneCaseMessage = { message: 'choose an order or a consultation, not both', path: ['consultationId'] };

const exportQuery = z
  .object({
    format: z.enum(['csv', 'ndjson']).default('csv'),
    from: instant.optional(),
    to: instant.optional(),
    orderId: orderId.optional(),
    consultationId: consultationId.optional(),
    patient: term(200).optional(),
    staff: term(200).optional(),
    eventType: term(100)
      .regex(/^[A-Za-z]+$/, 'an event type such as ConsultationApproved')
      .optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] })
  .refine(oneCase, oneCaseMessage);

const entriesQuery = z
  .object({
    orderId: orderId.optional(),
    consultationId: consultationId.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .refine(oneCase, oneCaseMessage);

const reportQuery = z
  .object({ format: z.enum(['json', 'csv', 'pdf']).default('json'), from: instant, to: instant })
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] });

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/** `audit-order-<id>.csv`, `audit-2026-11-01-2026-12-01.ndjson`, `audit-all.csv`: safe in a header. */
const exportFilename = (filter: AuditFilter, format: string) => {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const parts = [
    filter.orderId ? `order-${filter.orderId}` : '',
    filter.consultationId ? `consultation-${filter.consultationId}` : '',
    filter.eventType ?? '',
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
  for (const key of ['orderId', 'consultationId', 'patient', 'staff', 'eventType'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  return `audit-export?${params}`;
};

/** The auditor's endpoints: export the trail, verify its hash chain, list recent rows. */
export const auditRoutes: FastifyPluginAsyncZod<AuditRoutesOptions> = async (app, options) => {
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
        summary:
          'Export the audit trail (CSV or NDJSON), filtered by time (occurred_at), case (order or consultation), patient, staff member and event type',
        querystring: exportQuery,
      },
    },
    async (request, reply) => {
      const query = request.query;
      const { format, ...filter }: AuditFilter & { format: 'csv' | 'ndjson' } = query;
      // Recorded before the first byte leaves: an export cut short still counts as read.
      await recordAccess(request, query.orderId ?? query.consultationId, describeExport(query));
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${exportFilename(filter, format)}"`)
        .header('cache-control', 'no-store')
        .send(auditExportStream(pool, filter, format));
    },
  );

  app.get(
    '/api/audit/compliance-report',
    {
      ...auditors,
      schema: {
        tags: ['audit'],
        summary:
          'Per period: orders and consultations by outcome, refusals with reasons, refunds, reads of patient data by staff member (JSON, CSV or PDF)',
        querystring: reportQuery,
        // The JSON form; the CSV and PDF files are sent as they are.
        response: { 200: complianceReportSchema },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const report = await complianceReport(pool, query);
      // Refusal reasons and case ids are patient data: the report is recorded as a read.
      await recordAccess(
        request,
        undefined,
        `compliance-report?from=${report.period.from}&to=${report.period.to}&format=${query.format}`,
      );
      const name = `compliance-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}`;
      reply.header('cache-control', 'no-store');
      if (query.format === 'json') return report;
      // A file is sent as it is: fastify applies the response schema to JSON bodies only.
      const file: FastifyReply = reply;
      file.header('content-disposition', `attachment; filename="${name}.${query.format}"`);
      return query.format === 'csv'
        ? file.type(CONTENT_TYPES.csv).send(complianceReportCsv(report))
        : file.type('application/pdf').send(await complianceReportPdf(report, options.reportTitle));
    },
  );

  app.get(
    '/api/audit/verify',
    {
      ...auditors,
      schema: {
        tags: ['audit'],
        summary: 'Recompute the hash chain; report the first break',
        response: { 200: auditVerification },
      },
    },
    async () => verifyAuditTrail(pool, { key: options.audit.key, anchors: options.audit.anchors }),
  );

  app.post(
    '/api/audit/anchors',
    {
      ...auditors,
      schema: {
        tags: ['audit'],
        summary: 'Sign the chain’s current head now and export it where the auditor keeps anchors',
        response: { 201: auditAnchor },
      },
    },
    async (request, reply) => {
      const anchor = await options.audit.anchorNow();
      if (!anchor) return problem(reply, 409, 'Nothing to anchor', 'The audit trail is still empty.');
      request.log.info({ seq: anchor.seq }, 'audit head anchored');
      return reply.code(201).send(anchor);
    },
  );

  app.get(
    '/api/audit/entries',
    {
      ...auditors,
      schema: {
        tags: ['audit'],
        summary: 'The most recent audit rows, optionally of one order or consultation; `before` pages back',
        querystring: entriesQuery,
        response: { 200: auditEntries },
      },
    },
    async (request) => {
      const query = request.query;
      const items = await recentEntries(pool, query);
      const caseId = query.orderId ?? query.consultationId;
      if (caseId && items.length > 0) await recordAccess(request, caseId, 'audit-entries');
      return { items, nextBefore: items.length === query.limit ? items.at(-1)!.seq : null };
    },
  );
};
