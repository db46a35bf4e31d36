import { PDFDocument } from 'pdf-lib';
import type { ComplianceReport } from '../../../projections/audit/complianceReport.js';
import { createLayout, GREY } from './layout.js';

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
const day = (iso: string) => iso.slice(0, 10);
const who = (actor: string, name: string | null) => (name ? `${name} (${actor})` : actor);

/** The compliance report as an A4 document an inspector can file: one section per question asked. */
export const complianceReportPdf = async (
  report: ComplianceReport,
  pharmacyName: string,
): Promise<Buffer> => {
  const doc = await PDFDocument.create();
  const title = `Compliance report ${day(report.period.from)} to ${day(report.period.to)}`;
  doc.setTitle(title);
  doc.setCreator('Pharmacy order platform');
  const layout = await createLayout(doc, title);
  layout.paragraph(pharmacyName, { colour: GREY });
  layout.paragraph(title, { size: 16, bold: true, gapAfter: 4 });
  layout.paragraph(`From ${report.period.from} up to (not including) ${report.period.to}, UTC.`, {
    colour: GREY,
    gapAfter: 8,
  });

  const section = (heading: string) => {
    layout.rule();
    layout.paragraph(heading, { size: 13, bold: true, gapAfter: 4 });
  };
  const none = (what: string) => layout.paragraph(`No ${what} in this period.`, { colour: GREY });

  section('US orders by outcome (received in the period)');
  if (report.orders.length === 0) none('orders');
  else
    layout.table(
      [
        { header: 'Status', width: 3 },
        { header: 'Orders', width: 1 },
      ],
      report.orders.map((o) => [o.status, String(o.count)]),
    );

  section('UK consultations by outcome (started in the period)');
  if (report.consultations.length === 0) none('consultations');
  else
    layout.table(
      [
        { header: 'Status', width: 3 },
        { header: 'Consultations', width: 1 },
      ],
      report.consultations.map((c) => [c.status, String(c.count)]),
    );

  section('Refusals, with reasons');
  if (report.refusals.length === 0) none('refusals');
  else
    layout.table(
      [
        { header: 'When (UTC)', width: 2 },
        { header: 'Case', width: 2.4 },
        { header: 'Refusal', width: 2 },
        { header: 'Reason', width: 3 },
        { header: 'By', width: 2.4 },
      ],
      report.refusals.map((r) => [
        r.at.slice(0, 16).replace('T', ' '),
        r.caseId,
        r.kind,
        r.reason,
        who(r.actor, r.actorName),
      ]),
      8,
    );

  section('Refunds requested');
  if (report.refunds.length === 0) none('refunds');
  else
    layout.table(
      [
        { header: 'When (UTC)', width: 2 },
        { header: 'Case', width: 2.4 },
        { header: 'Amount', width: 1.4 },
        { header: 'Reason', width: 3 },
      ],
      report.refunds.map((r) => [
        r.at.slice(0, 16).replace('T', ' '),
        r.caseId,
        money(r.amountMinor, r.currency),
        r.reason,
      ]),
      8,
    );

  section('Reads of patient data, by staff member');
  if (report.phiReads.length === 0) none('reads');
  else
    layout.table(
      [
        { header: 'Who', width: 4 },
        { header: 'Reads', width: 1 },
        { header: 'Records', width: 1 },
      ],
      report.phiReads.map((r) => [who(r.actor, r.actorName), String(r.reads), String(r.subjects)]),
    );

  layout.finish();
  return Buffer.from(await doc.save());
};
