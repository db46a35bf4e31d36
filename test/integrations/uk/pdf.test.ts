import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  type DispensingSlipInput,
  dispensingSlipPdf,
} from '../../../src/integrations/documents/pdf/dispensingSlip.js';
import {
  GpConsentMissingError,
  type GpLetterInput,
  gpLetterPdf,
} from '../../../src/integrations/documents/pdf/gpLetter.js';
import { A4 } from '../../../src/integrations/documents/pdf/layout.js';
import { pdfPages, pdfText } from './support/pdfText.js';

const letter: GpLetterInput = {
  gpPractice: { name: 'Riverside Medical Centre', address: ['14 Mill Lane', 'Bristol', 'BS1 4QT'] },
  patient: { name: 'Amelia Hart', dob: '1980-04-12', address: ['7 Orchard Row', 'Bath', 'BA1 2LX'] },
  medication: { name: 'Mounjaro KwikPen', dosage: '2.5 mg once weekly', quantity: 1 },
  prescriber: { name: 'Dr Priya Shah', registration: 'GMC 7654321' },
  consentGiven: true,
  // 23:30 UTC on 31 March is 00:30 on 1 April in London (BST): the letter shows the UK date.
  date: '2026-03-31T23:30:00Z',
  pharmacy: {
    name: 'Northfield Online Pharmacy',
    address: ['Unit 3, Canal Wharf', 'Leeds', 'LS11 5PS'],
    phone: '0113 496 0000',
  },
};

const slip: DispensingSlipInput = {
  orderReference: 'UK-2026-000142',
  patient: { name: 'Amelia Hart', dob: '1980-04-12', address: ['7 Orchard Row', 'Bath', 'BA1 2LX'] },
  items: [
    { productName: 'Mounjaro KwikPen', dosage: '2.5 mg', quantity: 1, instructions: 'Inject once weekly' },
  ],
  prescriptionRef: 'rx_4f1c9a',
  dispatch: { service: 'Royal Mail Tracked 24', trackingNumber: 'TT000000011GB' },
  flags: ['RENEWAL OVERLAP: previous plan active until 14 May 2026'],
  printedAt: '2026-07-01T08:05:00Z',
};

describe('the GP letter', () => {
  it('is a one-page A4 letter that tells the GP what was prescribed, by whom, with consent', async () => {
    const pdf = await gpLetterPdf(letter);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: A4[0], height: A4[1] });
    expect(doc.getTitle()).toBe('Letter to GP about Amelia Hart');

    const text = await pdfText(pdf);
    for (const expected of [
      'Northfield Online Pharmacy',
      '1 April 2026',
      'PRIVATE AND CONFIDENTIAL',
      'Riverside Medical Centre',
      'BS1 4QT',
      'Dear Doctor,',
      'Re: Amelia Hart',
      'Date of birth: 12 April 1980',
      'Address: 7 Orchard Row, Bath, BA1 2LX',
      'Mounjaro KwikPen',
      '2.5 mg once weekly',
      'The patient gave their consent for us to inform you',
      'Prescriber: Dr Priya Shah (GMC 7654321)',
      'Please add this to the patient’s record.',
      'Yours sincerely,',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('is refused when the patient did not consent', async () => {
    await expect(gpLetterPdf({ ...letter, consentGiven: false })).rejects.toBeInstanceOf(
      GpConsentMissingError,
    );
  });

  it('wraps long text inside the margins and prints characters the standard font lacks as ?', async () => {
    const longName =
      'Semaglutide (Wegovy) 0.25 mg/0.5 ml FlexTouch pre-filled pen for injection, titration pack';
    const pdf = await gpLetterPdf({
      ...letter,
      patient: { ...letter.patient, name: 'Zoë Łukasiewicz' },
      medication: { ...letter.medication, name: longName },
    });
    const lines = (await pdfPages(pdf)).flat();
    // The name did not fit its column, so it spans several lines that read whole again.
    expect(lines.some((line) => line === longName)).toBe(false);
    expect(await pdfText(pdf)).toContain(longName);
    expect(await pdfText(pdf)).toContain('Re: Zoë ?ukasiewicz');
  });
});

describe('the dispensing slip', () => {
  it('shows the flag first, then patient, authority, items and dispatch', async () => {
    const pdf = await dispensingSlipPdf(slip);
    const text = await pdfText(pdf);
    const order = [
      'DISPENSING SLIP',
      'Order UK-2026-000142',
      'Printed 1 Jul 2026, 09:05 BST',
      '! RENEWAL OVERLAP: previous plan active until 14 May 2026',
      'Amelia Hart',
      'POM - signed prescription rx_4f1c9a',
      'Inject once weekly',
      'Service: Royal Mail Tracked 24',
      'Tracking number: TT000000011GB',
      'Accuracy checked by:',
    ].map((expected) => text.indexOf(expected));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('names the pharmacist for a P medicine and says when dispatch is not booked yet', async () => {
    const { prescriptionRef: _rx, ...rest } = slip;
    const pdf = await dispensingSlipPdf({
      ...rest,
      pharmacistApproval: {
        ref: 'PA-0091',
        pharmacistName: 'Tom Okafor',
        approvedAt: '2026-06-30T16:00:00Z',
      },
      dispatch: { service: 'Royal Mail Tracked 48' },
      flags: [],
    });
    const text = await pdfText(pdf);
    expect(text).toContain('P medicine - pharmacist approval PA-0091 by Tom Okafor, 30 June 2026');
    expect(text).toContain('Tracking number: not yet booked');
    expect(text).not.toContain('RENEWAL OVERLAP');
  });

  it('runs a long order on to more pages, repeating the table header and numbering pages', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      productName: `Item ${i + 1}`,
      dosage: '10 mg',
      quantity: 28,
      instructions: 'Take one tablet each morning with water, swallowed whole, not crushed or chewed.',
    }));
    const pdf = await dispensingSlipPdf({ ...slip, items });
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, lines] of pages.entries()) {
      expect(lines).toContain('Directions');
      expect(lines).toContain(`Dispensing slip UK-2026-000142 - page ${i + 1} of ${pages.length}`);
    }
    const text = await pdfText(pdf);
    expect(text).toContain('Item 1 ');
    expect(text).toContain('Item 60 ');
  });
});
