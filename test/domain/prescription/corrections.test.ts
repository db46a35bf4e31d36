import { describe, expect, it } from 'vitest';
import {
  applyCorrections,
  prescriptionCorrectionsSchema,
  validatePrescription,
} from '../../../src/domain/prescription/validation.js';
import { NOW, parsedFixture, prescriptionWith } from './fixtures.js';

describe('applyCorrections', () => {
  it('turns the invalid sample into a valid prescription once each fault is corrected', () => {
    const corrected = applyCorrections(parsedFixture('newrx-invalid.xml'), {
      patient: { dateOfBirth: '1979-03-14' },
      prescriber: { npi: '1673492850' },
      medication: { productCode: '0074-0554-02', sig: 'Inject 40 mg under the skin every other week' },
    });
    expect(validatePrescription(corrected, { now: NOW })).toEqual({ ok: true, normalisedNdc: '00074055402' });
  });

  it('leaves the original message as it was', () => {
    const original = parsedFixture('newrx-invalid.xml');
    const before = structuredClone(original);
    applyCorrections(original, { prescriber: { npi: '1673492850' }, pharmacy: { npi: '1558598797' } });
    expect(original).toEqual(before);
  });

  it('changes only the corrected fields', () => {
    const original = prescriptionWith();
    const corrected = applyCorrections(original, { medication: { refills: '2' } });
    expect(corrected).toEqual({ ...original, medication: { ...original.medication, refills: '2' } });
  });

  it('reads an undefined correction as "not corrected", never as "erase"', () => {
    const corrected = applyCorrections(prescriptionWith(), {
      prescriber: { npi: undefined, dea: 'AP5836727' },
    });
    expect(corrected.prescriber.npi).toBe('1673492850');
  });

  it('adds a pharmacy when the message named none', () => {
    const withoutPharmacy = prescriptionWith((message) => delete message.pharmacy);
    expect(applyCorrections(withoutPharmacy, { pharmacy: { npi: '1558598797' } }).pharmacy).toEqual({
      npi: '1558598797',
    });
  });

  it('marks a corrected product code as an NDC, whatever code system was sent', () => {
    const sentAsRxNorm = prescriptionWith(({ medication }) => {
      medication.productCode = '1244211';
      medication.productCodeQualifier = 'RT';
    });
    const corrected = applyCorrections(sentAsRxNorm, { medication: { productCode: '00074055402' } });
    expect(corrected.medication).toMatchObject({ productCode: '00074055402', productCodeQualifier: 'ND' });
  });
});

describe('prescriptionCorrectionsSchema', () => {
  it('accepts a partial correction and trims it', () => {
    expect(prescriptionCorrectionsSchema.parse({ medication: { sig: '  Take one tablet daily  ' } })).toEqual(
      {
        medication: { sig: 'Take one tablet daily' },
      },
    );
  });

  it.each([
    ['a field that cannot be corrected', { medication: { description: 'something else' } }],
    ['an unknown part', { insurer: { id: 'X' } }],
    ['a blank value', { patient: { lastName: '   ' } }],
    ['a value that is not text', { medication: { quantity: 2 } }],
    ['no correction at all', {}],
    ['parts with nothing in them', { patient: {}, medication: {} }],
  ])('refuses %s', (_, corrections) => {
    expect(prescriptionCorrectionsSchema.safeParse(corrections).success).toBe(false);
  });
});
