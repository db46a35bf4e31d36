import { z } from 'zod';
import { instant, type Wire } from './common.js';

/**
 * The auditor's JSON answers (`/api/audit…`). The CSV, NDJSON and PDF bodies are files, not
 * contracts; the compliance report's JSON form is the one the page and the files are made from.
 */

const finding = z.object({ seq: z.number().int(), reason: z.string() });

/** The hash chain recomputed: intact, or the first break with up to twenty findings. */
export const auditVerification = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), rows: z.number().int(), lastHash: z.string(), anchors: z.number().int() }),
  z.object({
    ok: z.literal(false),
    rows: z.number().int(),
    brokenAt: finding,
    findings: z.array(finding),
  }),
]);
export type AuditVerification = Wire<typeof auditVerification>;
export type AuditFinding = Wire<typeof finding>;

/** A signed head of the chain, and where the auditor's copy was put. */
export const auditAnchor = z.object({
  seq: z.number().int(),
  hash: z.string(),
  anchoredAt: instant,
  keyId: z.string(),
  signature: z.string(),
  location: z.string(),
});
export type AuditAnchor = Wire<typeof auditAnchor>;

export const auditEntry = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  globalPosition: z.number().int(),
  occurredAt: instant,
  recordedAt: instant,
  actor: z.string(),
  actorName: z.string().nullable(),
  eventType: z.string(),
  streamName: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  eventHash: z.string(),
  keyId: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = Wire<typeof auditEntry>;

/** The newest rows first; `nextBefore` pages back (null: this was the last page). */
export const auditEntries = z.object({ items: z.array(auditEntry), nextBefore: z.number().int().nullable() });
export type AuditEntries = Wire<typeof auditEntries>;

const statusCount = z.object({ status: z.string(), count: z.number().int() });

export const complianceReport = z.object({
  period: z.object({ from: instant, to: instant }),
  orders: z.array(statusCount),
  consultations: z.array(statusCount),
  refusals: z.array(
    z.object({
      at: instant,
      caseId: z.string(),
      kind: z.string(),
      reason: z.string(),
      actor: z.string(),
      actorName: z.string().nullable(),
    }),
  ),
  refunds: z.array(
    z.object({
      at: instant,
      caseId: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
      reason: z.string(),
      actor: z.string(),
    }),
  ),
  phiReads: z.array(
    z.object({
      actor: z.string(),
      actorName: z.string().nullable(),
      reads: z.number().int(),
      subjects: z.number().int(),
    }),
  ),
});
export type ComplianceReport = Wire<typeof complianceReport>;
