import { PDFDocument } from 'pdf-lib';
import { birthDate, createLayout, GREY, ukDate } from './layout.js';

export type GpLetterInput = {
  gpPractice: { name: string; address: readonly string[] };
  patient: { name: string /** `YYYY-MM-DD` */; dob: string; address: readonly string[] };
  medication: { name: string; dosage: string; quantity: string | number };
  prescriber: { name: string /** e.g. `GPhC 2081234` or `GMC 7654321` */; registration: string };
  /** The patient's consent to tell their GP; without it no letter may be produced. */
  consentGiven: boolean;
  /** The day the letter is written (the prescription's date). */
  date: Date | string;
  /** The sender's letterhead and contact details, so the practice can reply. */
  pharmacy?: { name: string; address: readonly string[]; phone?: string; email?: string };
};

/** Telling a GP without the patient's consent would be a confidentiality breach, so it is refused. */
export class GpConsentMissingError extends Error {
  constructor() {
    super('The patient did not consent to informing their GP: no letter may be produced');
    this.name = 'GpConsentMissingError';
  }
}

/**
 * The letter an online pharmacy sends a patient's GP after prescribing, with the patient's
 * consent, so the GP record stays complete and the GP can raise any reason the treatment may not
 * suit the patient. One A4 letter in plain language; the text wraps and runs on to a second page
 * if the addresses or names are long.
 */
export const gpLetterPdf = async (input: GpLetterInput): Promise<Buffer> => {
  if (!input.consentGiven) throw new GpConsentMissingError();
  const { gpPractice, patient, medication, prescriber, pharmacy } = input;
  const date = new Date(input.date);

  const doc = await PDFDocument.create();
  doc.setTitle(`Letter to GP about ${patient.name}`);
  doc.setSubject(`Medication prescribed: ${medication.name} ${medication.dosage}`);
  doc.setAuthor(pharmacy?.name ?? prescriber.name);
  doc.setCreator('Pharmacy order platform');
  doc.setLanguage('en-GB');
  doc.setCreationDate(date);
  doc.setModificationDate(date);

  const page = await createLayout(doc, `Letter to GP re ${patient.name}`);
  if (pharmacy) {
    page.paragraph(pharmacy.name, { bold: true, size: 13, gapAfter: 0 });
    for (const line of pharmacy.address) page.paragraph(line, { size: 10, gapAfter: 0, colour: GREY });
    const contact = [pharmacy.phone && `Tel ${pharmacy.phone}`, pharmacy.email].filter(Boolean).join('  |  ');
    if (contact) page.paragraph(contact, { size: 10, gapAfter: 0, colour: GREY });
    page.space(12);
  }
  page.right(ukDate(date), { gapAfter: 12 });

  page.paragraph('PRIVATE AND CONFIDENTIAL', { bold: true, size: 10, gapAfter: 4 });
  page.paragraph('The GP', { gapAfter: 0 });
  page.paragraph(gpPractice.name, { gapAfter: 0 });
  for (const line of gpPractice.address) page.paragraph(line, { gapAfter: 0 });
  page.space(18);

  page.paragraph('Dear Doctor,', { gapAfter: 12 });
  page.paragraph(`Re: ${patient.name}`, { bold: true, gapAfter: 0 });
  page.paragraph(`Date of birth: ${birthDate(patient.dob)}`, { bold: true, gapAfter: 0 });
  page.paragraph(`Address: ${patient.address.join(', ')}`, { bold: true, gapAfter: 12 });

  page.paragraph('Medication prescribed following an online consultation', {
    bold: true,
    size: 12,
    gapAfter: 8,
  });
  page.paragraph(
    'Your patient named above completed an online consultation with our pharmacy service. After a ' +
      'clinical review of their answers, the medication below was prescribed and will be dispensed ' +
      'by our pharmacy. The patient gave their consent for us to inform you, so that their GP record ' +
      'stays complete and accurate.',
  );
  page.table(
    [
      { header: 'Medication', width: 3 },
      { header: 'Dosage', width: 2 },
      { header: 'Quantity', width: 1 },
    ],
    [[medication.name, medication.dosage, String(medication.quantity)]],
    11,
  );
  page.paragraph(`Prescriber: ${prescriber.name} (${prescriber.registration})`, { gapAfter: 0 });
  page.paragraph(`Date prescribed: ${ukDate(date)}`, { gapAfter: 12 });
  page.paragraph(
    'Please add this to the patient’s record. If you know of any reason this treatment may not be ' +
      'appropriate for them, such as a relevant condition, other medication or an allergy, please ' +
      'contact us and we will review the prescription. Otherwise no action is needed.',
    { gapAfter: 18 },
  );

  page.paragraph('Yours sincerely,', { gapAfter: 30 });
  page.paragraph(prescriber.name, { bold: true, gapAfter: 0 });
  page.paragraph(`Prescriber, ${prescriber.registration}`, { gapAfter: 0 });
  if (pharmacy) page.paragraph(`On behalf of ${pharmacy.name}`, { gapAfter: 0 });
  page.finish();

  return Buffer.from(await doc.save());
};
