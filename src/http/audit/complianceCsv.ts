import type { ComplianceReport } from '../../projections/audit/complianceReport.js';
import { csvField } from './auditExport.js';

export const COMPLIANCE_CSV_HEADER = [
  'section',
  'at',
  'case_id',
  'item',
  'count_or_amount_minor',
  'currency',
  'reason',
  'actor',
  'actor_name',
] as const;

type Line = Record<(typeof COMPLIANCE_CSV_HEADER)[number], string | number | null>;
const blank: Line = {
  section: null,
  at: null,
  case_id: null,
  item: null,
  count_or_amount_minor: null,
  currency: null,
  reason: null,
  actor: null,
  actor_name: null,
};

/** The report as one RFC 4180 table: a `section` column says which question each row answers. */
export const complianceReportCsv = (report: ComplianceReport): string => {
  const lines: Line[] = [
    ...report.orders.map((o) => ({
      ...blank,
      section: 'orders_by_outcome',
      item: o.status,
      count_or_amount_minor: o.count,
    })),
    ...report.consultations.map((c) => ({
      ...blank,
      section: 'consultations_by_outcome',
      item: c.status,
      count_or_amount_minor: c.count,
    })),
    ...report.refusals.map((r) => ({
      ...blank,
      section: 'refusal',
      at: r.at,
      case_id: r.caseId,
      item: r.kind,
      reason: r.reason,
      actor: r.actor,
      actor_name: r.actorName,
    })),
    ...report.refunds.map((r) => ({
      ...blank,
      section: 'refund',
      at: r.at,
      case_id: r.caseId,
      item: 'refund requested',
      count_or_amount_minor: r.amountMinor,
      currency: r.currency,
      reason: r.reason,
      actor: r.actor,
    })),
    ...report.phiReads.map((r) => ({
      ...blank,
      section: 'phi_reads',
      item: `${r.subjects} records`,
      count_or_amount_minor: r.reads,
      actor: r.actor,
      actor_name: r.actorName,
    })),
  ];
  const row = (fields: readonly (string | number | null)[]) => `${fields.map(csvField).join(',')}\r\n`;
  return row(COMPLIANCE_CSV_HEADER) + lines.map((l) => row(COMPLIANCE_CSV_HEADER.map((k) => l[k]))).join('');
};
