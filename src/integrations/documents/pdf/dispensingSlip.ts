import { PDFDocument } from 'pdf-lib';
import { birthDate, createLayout, GREY, ukDate, ukDateTime } from './layout.js';

export type SlipItem = {
  productName: string;
  dosage?: string;
  quantity: number | string;
  instructions?: string;
};

/** A POM is dispensed against a signed prescription; a P medicine against a pharmacist's approval. */
export type SlipAuthority =
  | { prescriptionRef: string; pharmacistApproval?: never }
  | {
      pharmacistApproval: { ref: string; pharmacistName: string; approvedAt: Date | string };
      prescriptionRef?: never;
    };

export type DispensingSlipInput = {
  orderReference: string;
  patient: { name: string /** `YYYY-MM-DD` */; dob: string; address: readonly string[] };
  items: readonly SlipItem[];
  dispatch: { service: string; trackingNumber?: string };
  /** Shown first and boxed, e.g. `RENEWAL OVERLAP`: the team must see them before dispensing. */
  flags: readonly string[];
  printedAt: Date | string;
} & SlipAuthority;

const authorityLine = (input: DispensingSlipInput): string =>
  input.pharmacistApproval
    ? `P medicine - pharmacist approval ${input.pharmacistApproval.ref} by ${input.pharmacistApproval.pharmacistName}, ${ukDate(input.pharmacistApproval.approvedAt)}`
    : `POM - signed prescription ${input.prescriptionRef}`;

/**
 * The slip the pharmacy team prints for each order (Phase 9): who it is for, on what authority,
 * what to dispense, how it ships, and boxes for the dispensing and accuracy-check initials. Long
 * item lists run on to further pages with the table header repeated.
 */
export const dispensingSlipPdf = async (input: DispensingSlipInput): Promise<Buffer> => {
  const printedAt = new Date(input.printedAt);
  const doc = await PDFDocument.create();
  doc.setTitle(`Dispensing slip ${input.orderReference}`);
  doc.setSubject(`Dispensing slip for order ${input.orderReference}`);
  doc.setCreator('Pharmacy order platform');
  doc.setLanguage('en-GB');
  doc.setKeywords(['dispensing slip', input.orderReference, ...input.flags]);
  doc.setCreationDate(printedAt);
  doc.setModificationDate(printedAt);

  const page = await createLayout(doc, `Dispensing slip ${input.orderReference}`);
  page.paragraph('DISPENSING SLIP', { bold: true, size: 18, gapAfter: 2 });
  page.paragraph(`Order ${input.orderReference}`, { bold: true, size: 14, gapAfter: 2 });
  page.paragraph(`Printed ${ukDateTime(printedAt)}`, { size: 9, colour: GREY, gapAfter: 10 });

  if (input.flags.length > 0) page.alert(input.flags.map((flag) => `! ${flag}`));

  page.paragraph('Patient', { bold: true, size: 12, gapAfter: 2 });
  page.paragraph(input.patient.name, { gapAfter: 0 });
  page.paragraph(`Date of birth: ${birthDate(input.patient.dob)}`, { gapAfter: 0 });
  page.paragraph(input.patient.address.join(', '), { gapAfter: 10 });

  page.paragraph('Authority to supply', { bold: true, size: 12, gapAfter: 2 });
  page.paragraph(authorityLine(input), { gapAfter: 10 });

  page.paragraph('Items', { bold: true, size: 12, gapAfter: 4 });
  page.table(
    [
      { header: 'Product', width: 3 },
      { header: 'Dosage', width: 2 },
      { header: 'Qty', width: 1 },
      { header: 'Directions', width: 4 },
    ],
    input.items.map((item) => [
      item.productName,
      item.dosage ?? '',
      String(item.quantity),
      item.instructions ?? '',
    ]),
  );

  page.paragraph('Dispatch', { bold: true, size: 12, gapAfter: 2 });
  page.paragraph(`Service: ${input.dispatch.service}`, { gapAfter: 0 });
  page.paragraph(`Tracking number: ${input.dispatch.trackingNumber ?? 'not yet booked'}`, { gapAfter: 14 });

  page.rule();
  page.paragraph('Dispensed by: ____________________   Date: ____________', { gapAfter: 12 });
  page.paragraph('Accuracy checked by: ______________   Date: ____________', { gapAfter: 12 });
  page.paragraph('Packed by: _______________________   Date: ____________', { gapAfter: 0 });
  page.finish();

  return Buffer.from(await doc.save());
};
