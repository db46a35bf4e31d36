import { describe, expect, it } from 'vitest';
import type { NewRxMessage } from '../../../src/domain/prescription/types.js';
import {
  REQUIRED_FIELDS,
  type ValidationContext,
  type ValidationIssue,
  validatePrescription,
} from '../../../src/domain/prescription/validation.js';
import { NOW, parsedFixture, prescriptionWith } from './fixtures.js';

const context: ValidationContext = { now: NOW };

const issuesOf = (message: NewRxMessage, given: ValidationContext = context): ValidationIssue[] => {
  const result = validatePrescription(message, given);
  return result.ok ? [] : result.issues;
};

const codesOf = (message: NewRxMessage, given?: ValidationContext) =>
  issuesOf(message, given).map(({ code, field }) => `${code} ${field}`);

/** Sets a dot path such as `medication.sig`, as a correction or an issue names it. */
const setField = (message: NewRxMessage, field: string, value: string | undefined) => {
  const names = field.split('.');
  const last = names.pop()!;
  const parent = names.reduce<Record<string, unknown>>(
    (node, name) => node[name] as Record<string, unknown>,
    message as unknown as Record<string, unknown>,
  );
  parent[last] = value;
};

const withField = (field: string, value: string | undefined) =>
  prescriptionWith((message) => setField(message, field, value));

describe('validatePrescription', () => {
  describe('the samples', () => {
    it('accepts the specialty sample and gives its 11-digit NDC', () => {
      expect(validatePrescription(parsedFixture('newrx-specialty-valid.xml'), context)).toEqual({
        ok: true,
        normalisedNdc: '00074055402',
      });
    });

    it('finds exactly one issue per fault in the invalid sample', () => {
      expect(codesOf(parsedFixture('newrx-invalid.xml')).sort()).toEqual([
        'DOB_INVALID patient.dateOfBirth', // 2031-02-30 is no day at all
        'NDC_INVALID medication.productCode', // 0074-554-02 is 4-3-2
        'PRESCRIBER_NPI_INVALID prescriber.npi', // 1673492851 fails its check digit
        'SIG_EMPTY medication.sig', // blank directions
      ]);
    });

    it('keeps patient data out of issue messages, which travel through queues and logs', () => {
      const messages = issuesOf(parsedFixture('newrx-invalid.xml')).map((issue) => issue.message);
      for (const message of messages) expect(message).not.toMatch(/Okafor|Adaeze|2031-02-30|MRN-0042117/);
    });
  });

  describe('required fields', () => {
    it.each(REQUIRED_FIELDS.map(({ field }) => field))('reports %s when it is absent', (field) => {
      expect(codesOf(withField(field, undefined))).toEqual([`REQUIRED_FIELD_MISSING ${field}`]);
    });

    it('treats a blank name as missing', () => {
      expect(codesOf(withField('patient.lastName', '   '))).toEqual([
        'REQUIRED_FIELD_MISSING patient.lastName',
      ]);
    });

    it('reports every missing field of an empty NewRx at once', () => {
      const empty: NewRxMessage = {
        header: { messageId: 'msg-1' },
        patient: { identifiers: {} },
        prescriber: {},
        medication: {},
      };
      expect(issuesOf(empty).map(({ field }) => field)).toEqual(
        REQUIRED_FIELDS.map(({ field }) => field).filter((field) => field !== 'header.messageId'),
      );
    });
  });

  describe('identifiers', () => {
    it.each(['1673492851', '167349285', '3673492850', '167349285O'])('refuses prescriber NPI %s', (npi) => {
      expect(codesOf(withField('prescriber.npi', npi))).toEqual(['PRESCRIBER_NPI_INVALID prescriber.npi']);
    });

    it('refuses a pharmacy NPI that fails its check digit', () => {
      expect(codesOf(withField('pharmacy.npi', '1284567893'))).toEqual(['PHARMACY_NPI_INVALID pharmacy.npi']);
    });

    it('does not ask for a pharmacy NPI, or a pharmacy at all', () => {
      expect(codesOf(withField('pharmacy.npi', undefined))).toEqual([]);
      expect(codesOf(prescriptionWith((message) => delete message.pharmacy))).toEqual([]);
    });

    it('refuses a DEA number that fails its check digit', () => {
      expect(codesOf(withField('prescriber.dea', 'AP5836728'))).toEqual(['DEA_INVALID prescriber.dea']);
    });

    it('does not ask for a DEA number, which only controlled substances need', () => {
      expect(codesOf(withField('prescriber.dea', undefined))).toEqual([]);
    });
  });

  describe('the product code', () => {
    it.each([
      ['0002-7597-01', '00002759701'],
      ['50242-040-62', '50242004062'],
      ['60575-4112-1', '60575411201'],
    ])('accepts the hyphenated NDC %s as %s', (ndc, ndc11) => {
      expect(validatePrescription(withField('medication.productCode', ndc), context)).toEqual({
        ok: true,
        normalisedNdc: ndc11,
      });
    });

    it('refuses a bare 10-digit NDC as ambiguous', () => {
      const [issue] = issuesOf(withField('medication.productCode', '0074055402'));
      expect(issue).toMatchObject({ code: 'NDC_INVALID', field: 'medication.productCode' });
      expect(issue?.message).toMatch(/without hyphens/);
    });

    it('refuses a product code from another code system than NDC', () => {
      const [issue, ...others] = issuesOf(withField('medication.productCodeQualifier', 'RT'));
      expect(others).toEqual([]);
      expect(issue).toMatchObject({ code: 'NDC_INVALID', field: 'medication.productCode' });
      expect(issue?.message).toMatch(/qualifier is RT, expected ND/);
    });

    it('reads a code without qualifier as an NDC', () => {
      expect(codesOf(withField('medication.productCodeQualifier', undefined))).toEqual([]);
    });
  });

  describe('directions and amounts', () => {
    it('reports blank directions as an empty Sig', () => {
      expect(codesOf(withField('medication.sig', ' \t '))).toEqual(['SIG_EMPTY medication.sig']);
    });

    it.each(['0', '0.0', '-1', 'two', '1e3', '2 pens', '.5'])('refuses quantity %s', (quantity) => {
      expect(codesOf(withField('medication.quantity', quantity))).toEqual([
        'QUANTITY_INVALID medication.quantity',
      ]);
    });

    it.each(['1', '0.4', '120'])('accepts quantity %s', (quantity) => {
      expect(codesOf(withField('medication.quantity', quantity))).toEqual([]);
    });

    it.each(['0', '366', '2.5', '-7', 'thirty'])('refuses days supply %s (1 to 365)', (days) => {
      expect(codesOf(withField('medication.daysSupply', days))).toEqual([
        'DAYS_SUPPLY_INVALID medication.daysSupply',
      ]);
    });

    it.each(['1', '90', '365'])('accepts days supply %s', (days) => {
      expect(codesOf(withField('medication.daysSupply', days))).toEqual([]);
    });

    it.each(['12', '-1', '1.5', 'PRN'])('refuses %s refills (0 to 11)', (refills) => {
      expect(codesOf(withField('medication.refills', refills))).toEqual([
        'REFILLS_INVALID medication.refills',
      ]);
    });

    it.each(['0', '11', undefined])('accepts %s refills', (refills) => {
      expect(codesOf(withField('medication.refills', refills))).toEqual([]);
    });
  });

  describe('the written date, judged against every US calendar day current at `now`', () => {
    it('accepts a prescription written today', () => {
      expect(codesOf(withField('medication.writtenDate', '2026-11-21'))).toEqual([]);
    });

    it('refuses a date no US time zone has reached yet', () => {
      expect(codesOf(withField('medication.writtenDate', '2026-11-22'))).toEqual([
        'WRITTEN_DATE_IN_FUTURE medication.writtenDate',
      ]);
    });

    it('accepts tomorrow by UTC once Guam (UTC+10) has reached it', () => {
      const lateEvening = { now: new Date('2026-11-21T15:00:00Z') };
      expect(codesOf(withField('medication.writtenDate', '2026-11-22'), lateEvening)).toEqual([]);
    });

    it('accepts a prescription written 365 days before the earliest US day (American Samoa, UTC−11)', () => {
      expect(codesOf(withField('medication.writtenDate', '2025-11-20'))).toEqual([]);
    });

    it('refuses one written a day earlier than that', () => {
      expect(codesOf(withField('medication.writtenDate', '2025-11-19'))).toEqual([
        'WRITTEN_DATE_TOO_OLD medication.writtenDate',
      ]);
    });

    it.each(['2026-02-30', '11/02/2026', '2026-11-2', '2026-13-01', 'yesterday'])(
      'refuses %s as no date',
      (date) => {
        expect(codesOf(withField('medication.writtenDate', date))).toEqual([
          'WRITTEN_DATE_INVALID medication.writtenDate',
        ]);
      },
    );
  });

  describe('the date of birth', () => {
    it.each(['2023-02-30', '2023-02-29', '1979-3-14', '14/03/1979', '1979-03-14T00:00:00Z'])(
      'refuses %s, which is not a real YYYY-MM-DD day',
      (dateOfBirth) => {
        expect(codesOf(withField('patient.dateOfBirth', dateOfBirth))).toEqual([
          'DOB_INVALID patient.dateOfBirth',
        ]);
      },
    );

    it('accepts a leap day in a leap year', () => {
      expect(codesOf(withField('patient.dateOfBirth', '2024-02-29'))).toEqual([]);
    });

    it('accepts a baby born today', () => {
      expect(codesOf(withField('patient.dateOfBirth', '2026-11-21'))).toEqual([]);
    });

    it('refuses a birth date no US time zone has reached yet', () => {
      expect(codesOf(withField('patient.dateOfBirth', '2027-01-05'))).toEqual([
        'DOB_IN_FUTURE patient.dateOfBirth',
      ]);
    });
  });

  describe('the patient seen before under the same key', () => {
    const earlierPatientRecord = { lastName: 'Okafor', firstName: 'Adaeze', dateOfBirth: '1979-03-14' };

    it('accepts the same person whatever the letter case and surrounding spaces', () => {
      const message = prescriptionWith(({ patient }) => {
        patient.lastName = 'OKAFOR';
        patient.firstName = ' adaeze ';
      });
      expect(codesOf(message, { now: NOW, earlierPatientRecord })).toEqual([]);
    });

    it('flags each detail that differs', () => {
      const message = prescriptionWith(({ patient }) => {
        patient.lastName = 'Okoro';
        patient.dateOfBirth = '1979-04-14';
      });
      expect(codesOf(message, { now: NOW, earlierPatientRecord })).toEqual([
        'PATIENT_IDENTITY_MISMATCH patient.lastName',
        'PATIENT_IDENTITY_MISMATCH patient.dateOfBirth',
      ]);
    });

    it('flags a different first name', () => {
      const message = withField('patient.firstName', 'Ada');
      expect(codesOf(message, { now: NOW, earlierPatientRecord })).toEqual([
        'PATIENT_IDENTITY_MISMATCH patient.firstName',
      ]);
    });

    it('does not report an unreadable birth date a second time as a mismatch', () => {
      const message = withField('patient.dateOfBirth', '1979-02-30');
      expect(codesOf(message, { now: NOW, earlierPatientRecord })).toEqual([
        'DOB_INVALID patient.dateOfBirth',
      ]);
    });

    it('compares nothing for a patient seen for the first time', () => {
      expect(codesOf(withField('patient.lastName', 'Okoro'))).toEqual([]);
    });
  });

  it('reports every problem together, not just the first', () => {
    const message = prescriptionWith(({ header, patient, pharmacy, prescriber, medication }) => {
      header.messageId = '';
      patient.firstName = undefined;
      patient.lastName = 'Okoro';
      patient.dateOfBirth = '2030-01-01';
      prescriber.npi = '1673492851';
      prescriber.dea = 'AP5836728';
      if (pharmacy) pharmacy.npi = '1284567893';
      Object.assign(medication, {
        description: undefined,
        productCode: '0074055402',
        quantity: '0',
        daysSupply: '400',
        refills: '12',
        writtenDate: '2024-01-01',
        sig: '',
      });
    });
    const earlierPatientRecord = { lastName: 'Okafor', firstName: 'Adaeze', dateOfBirth: '1979-03-14' };
    expect(codesOf(message, { now: NOW, earlierPatientRecord }).sort()).toEqual([
      'DAYS_SUPPLY_INVALID medication.daysSupply',
      'DEA_INVALID prescriber.dea',
      'DOB_IN_FUTURE patient.dateOfBirth',
      'NDC_INVALID medication.productCode',
      'PATIENT_IDENTITY_MISMATCH patient.dateOfBirth',
      'PATIENT_IDENTITY_MISMATCH patient.lastName',
      'PHARMACY_NPI_INVALID pharmacy.npi',
      'PRESCRIBER_NPI_INVALID prescriber.npi',
      'QUANTITY_INVALID medication.quantity',
      'REFILLS_INVALID medication.refills',
      'REQUIRED_FIELD_MISSING header.messageId',
      'REQUIRED_FIELD_MISSING medication.description',
      'REQUIRED_FIELD_MISSING patient.firstName',
      'SIG_EMPTY medication.sig',
      'WRITTEN_DATE_TOO_OLD medication.writtenDate',
    ]);
  });
});
