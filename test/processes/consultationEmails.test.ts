import { describe, expect, it } from 'vitest';
import { patientEmails } from '../../src/processes/consultation/emails.js';
import { prescriptionEmails } from '../../src/processes/prescription/emails.js';
import { paymentLinkText } from '../../src/processes/prescription/texts.js';

// A patient already on a treatment whose renewal (or overlapping order) a clinician declines is
// not told that the treatment "is not suitable" for them: only this order is declined.

describe('the refund e-mail after a clinical denial', () => {
  it('tells a new patient the treatment is not suitable', () => {
    const mail = patientEmails('Northfield Online Pharmacy').refunded(
      'https://p.example/c',
      'clinical_denial',
      2_495,
    );
    expect(mail.text).toMatch(/not suitable for you/);
  });

  it('tells a patient already on the treatment that only this order was declined', () => {
    const mail = patientEmails('Northfield Online Pharmacy').refunded(
      'https://p.example/c',
      'clinical_denial',
      2_495,
      {
        onTreatment: true,
      },
    );
    expect(mail.text).not.toMatch(/not suitable/);
    expect(mail.text).toMatch(/this order/);
    expect(mail.text).toMatch(/£24\.95/);
  });
});

describe('who signs the patient e-mails', () => {
  it('each flow signs with the configured name of the business that serves the patient', () => {
    expect(patientEmails('Riverbend Online Pharmacy').started('https://p.example/c').text).toContain(
      '— The Riverbend Online Pharmacy team',
    );
    expect(
      prescriptionEmails('Riverbend Specialty Pharmacy').completed({ statusUrl: 'https://p.example/o' }).text,
    ).toContain('— The Riverbend Specialty Pharmacy team');
    expect(
      paymentLinkText('Riverbend Specialty Pharmacy', { amountMinor: 500, url: 'https://p.example/pay' }),
    ).toMatch(/^Riverbend Specialty Pharmacy: your copay of \$5\.00/);
  });
});
