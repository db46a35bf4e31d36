import { PDFDocument, StandardFonts } from 'pdf-lib';

export type LabelDetails = {
  serviceName: string;
  trackingNumber: string;
  orderReference: string;
  recipientLines: readonly string[];
};

const POINTS_PER_INCH = 72;

/**
 * A 4×6 in postage label per package, as Click & Drop prints them, with the word SANDBOX across it
 * so a printed one is never mistaken for paid postage. No contents are listed: the pharmacy's
 * labels must not reveal the medicine.
 */
export const labelPdf = async (labels: readonly LabelDetails[]): Promise<Buffer> => {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(`Royal Mail postage labels: ${labels.map((l) => l.trackingNumber).join(', ')}`);
  doc.setCreator('Royal Mail Click & Drop (sandbox)');
  for (const label of labels) {
    const page = doc.addPage([4 * POINTS_PER_INCH, 6 * POINTS_PER_INCH]);
    let y = page.getHeight() - 36;
    const line = (text: string, size = 11, font = regular) => {
      page.drawText(text.replace(/[^\x20-\x7e£]/g, '?'), { x: 18, y, size, font });
      y -= size + 6;
    };
    line('Royal Mail', 18, bold);
    line(label.serviceName, 12, bold);
    y -= 10;
    for (const recipientLine of label.recipientLines) line(recipientLine, 12);
    y -= 10;
    line(label.trackingNumber, 16, bold);
    line(`Ref: ${label.orderReference}`, 10);
    line('SANDBOX - NOT VALID POSTAGE', 10, bold);
  }
  return Buffer.from(await doc.save());
};
