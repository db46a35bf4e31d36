import { describe, expect, it } from 'vitest';
import { type ParseResult, parseNewRx, patientKey } from '../../../src/domain/prescription/ncpdp.js';
import type { NewRxMessage } from '../../../src/domain/prescription/types.js';
import { newRxDocument, readNcpdpFixture } from './fixtures.js';

const parsedMessage = (xml: string): NewRxMessage => {
  const result = parseNewRx(xml);
  if (!result.ok) throw new Error(`expected the message to parse: ${result.problems.join('; ')}`);
  return result.message;
};

const refusal = (result: ParseResult) =>
  result.ok ? { ok: true } : { kind: result.kind, problems: result.problems };

describe('parseNewRx', () => {
  describe('reading a NewRx', () => {
    it('reads every part of the specialty sample, keeping values as sent', () => {
      expect(parsedMessage(readNcpdpFixture('newrx-specialty-valid.xml'))).toEqual({
        header: {
          messageId: '7f3c1e1a9b2d4c7e8a10',
          sentTime: '2026-11-02T14:05:31.2Z',
          to: { id: '1234567', qualifier: 'P' },
          from: { id: 'EHR-ACME-01', qualifier: 'C' },
          prescriberOrderNumber: 'ORD-558201',
        },
        patient: {
          identifiers: { MedicalRecordIdentificationNumberEHR: 'MRN-0042117' },
          lastName: 'Okafor',
          firstName: 'Adaeze',
          gender: 'F',
          dateOfBirth: '1979-03-14',
          address: {
            line1: '418 Larch Street',
            city: 'Columbus',
            state: 'OH',
            postalCode: '43215',
            country: 'US',
          },
          phone: '6145550142',
          email: 'adaeze.okafor@example.org',
        },
        pharmacy: {
          ncpdpId: '1234567',
          npi: '1284567892',
          name: 'Central Intake Pharmacy',
          address: {
            line1: '10 Commerce Park',
            city: 'Dublin',
            state: 'OH',
            postalCode: '43017',
            country: 'US',
          },
          phone: '6145550100',
        },
        prescriber: {
          npi: '1673492850',
          dea: 'AP5836727',
          lastName: 'Lindqvist',
          firstName: 'Marta',
          address: {
            line1: '2200 Riverside Medical Plaza',
            line2: 'Suite 310',
            city: 'Columbus',
            state: 'OH',
            postalCode: '43221',
            country: 'US',
          },
          phone: '6145550177',
        },
        medication: {
          description: 'adalimumab 40 mg/0.4 mL subcutaneous pen injector',
          productCode: '00074055402',
          productCodeQualifier: 'ND',
          strength: '40',
          strengthForm: 'C42945',
          strengthUnit: 'C28253',
          quantity: '2',
          quantityQualifier: '38',
          quantityUnit: 'C48538',
          daysSupply: '28',
          writtenDate: '2026-11-02',
          substitutions: '0',
          refills: '5',
          sig: 'Inject 40 mg under the skin every other week',
        },
      });
    });

    it('reads a message with scr: prefixes and every part in another order identically', () => {
      expect(parsedMessage(readNcpdpFixture('newrx-specialty-prefixed-reordered.xml'))).toEqual(
        parsedMessage(readNcpdpFixture('newrx-specialty-valid.xml')),
      );
    });

    it('extracts business-rule faults without judging them: they are for validation', () => {
      const message = parsedMessage(readNcpdpFixture('newrx-invalid.xml'));
      expect(message.prescriber.npi).toBe('1673492851');
      expect(message.patient.dateOfBirth).toBe('2031-02-30');
      expect(message.medication.productCode).toBe('0074-554-02');
      expect(message.medication.sig).toBe('');
    });

    it('keeps codes as text, so leading zeros survive', () => {
      const message = parsedMessage(
        newRxDocument(
          '<NewRx><MedicationPrescribed><DaysSupply>007</DaysSupply></MedicationPrescribed></NewRx>',
        ),
      );
      expect(message.medication.daysSupply).toBe('007');
    });

    it('tolerates a NewRx with nothing but a message id', () => {
      expect(parsedMessage(newRxDocument('<NewRx/>'))).toEqual({
        header: { messageId: 'msg-1' },
        patient: { identifiers: {} },
        prescriber: {},
        medication: {},
      });
    });

    it('tells an empty element (the empty string) from an absent one (undefined)', () => {
      const message = parsedMessage(
        newRxDocument('<NewRx><MedicationPrescribed><Sig><SigText/></Sig></MedicationPrescribed></NewRx>'),
      );
      expect(message.medication.sig).toBe('');
      expect(message.medication.note).toBeUndefined();
    });

    it('takes the first of repeated elements', () => {
      const message = parsedMessage(
        newRxDocument(`<NewRx>
          <Prescriber><NonVeterinarian>
            <Identification><NPI>1558598797</NPI><NPI>1234567893</NPI></Identification>
          </NonVeterinarian></Prescriber>
          <MedicationPrescribed>
            <DrugDescription>first description</DrugDescription>
            <DrugDescription>second description</DrugDescription>
          </MedicationPrescribed>
          <MedicationPrescribed><DrugDescription>a second medication</DrugDescription></MedicationPrescribed>
        </NewRx>`),
      );
      expect(message.prescriber.npi).toBe('1558598797');
      expect(message.medication.description).toBe('first description');
    });

    it('decodes predefined entities and character references once, never re-reading the result', () => {
      const message = parsedMessage(
        newRxDocument(
          '<NewRx><Pharmacy><BusinessName>Smith &amp; Jones &#x2014; &#65;pothecary</BusinessName></Pharmacy>' +
            '<MedicationPrescribed><Note>write &amp;lt; for less-than</Note></MedicationPrescribed></NewRx>',
        ),
      );
      expect(message.pharmacy?.name).toBe('Smith & Jones \u2014 Apothecary');
      expect(message.medication.note).toBe('write &lt; for less-than');
    });

    it('reads a DrugDBCode given as Code and Qualifier', () => {
      const message = parsedMessage(
        newRxDocument(
          '<NewRx><MedicationPrescribed><DrugCoded><DrugDBCode><Code>1244211</Code><Qualifier>SCD</Qualifier>' +
            '</DrugDBCode></DrugCoded></MedicationPrescribed></NewRx>',
        ),
      );
      expect(message.medication).toMatchObject({ drugDbCode: '1244211', drugDbCodeQualifier: 'SCD' });
    });
  });

  describe('refusing document type declarations before parsing', () => {
    it('refuses an XXE attempt to read a local file', () => {
      const xxe = `<?xml version="1.0"?>
        <!DOCTYPE Message [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        ${newRxDocument('<NewRx><MedicationPrescribed><Note>&secret;</Note></MedicationPrescribed></NewRx>').replace(/^<\?xml[^>]*>/, '')}`;
      expect(refusal(parseNewRx(xxe))).toEqual({
        kind: 'forbidden_dtd',
        problems: ['Document type and entity declarations are not accepted'],
      });
    });

    it('refuses a billion-laughs entity expansion', () => {
      const laughs = Array.from(
        { length: 9 },
        (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
      ).join('');
      const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${laughs}]><lolz>&lol9;</lolz>`;
      expect(refusal(parseNewRx(bomb))).toMatchObject({ kind: 'forbidden_dtd' });
    });

    it('refuses a declaration in any letter case', () => {
      expect(refusal(parseNewRx(`<!doctype Message>${newRxDocument('<NewRx/>')}`))).toMatchObject({
        kind: 'forbidden_dtd',
      });
    });

    it('refuses an entity declaration even without a DOCTYPE around it', () => {
      expect(refusal(parseNewRx(`<!-- <!Entity x "y"> -->${newRxDocument('<NewRx/>')}`))).toMatchObject({
        kind: 'forbidden_dtd',
      });
    });
  });

  describe('refusing what is not XML', () => {
    it.each([
      ['plain text', 'Prescription for adalimumab'],
      ['an empty string', ''],
      ['JSON', '{"MessageID":"msg-1"}'],
      ['a truncated document', '<Message><Header><MessageID>msg-1</MessageID></Header><Body>'],
      ['mismatched tags', '<Message><Body></Message></Body>'],
      ['two root elements', '<Message/><Message/>'],
      ['two different root elements', '<Message/><Other/>'],
    ])('refuses %s as not_xml, saying why', (_, xml) => {
      const result = parseNewRx(xml);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.kind).toBe('not_xml');
      expect(!result.ok && result.problems).toHaveLength(1);
    });

    it('reports where the XML breaks', () => {
      expect(refusal(parseNewRx('<Message>\n<Body></Message>'))).toEqual({
        kind: 'not_xml',
        problems: [expect.stringMatching(/^Not well-formed XML at line 2, column \d+: /)],
      });
    });

    it('refuses element names that would pollute object prototypes', () => {
      expect(refusal(parseNewRx('<Message><__proto__><x>1</x></__proto__></Message>'))).toMatchObject({
        kind: 'not_xml',
      });
    });
  });

  describe('refusing XML that is not a NewRx', () => {
    it('names the root element it found', () => {
      expect(refusal(parseNewRx('<Invoice><Total>12</Total></Invoice>'))).toEqual({
        kind: 'not_newrx',
        problems: ['Root element is Invoice, expected Message'],
      });
    });

    it('names the transaction the Body holds instead', () => {
      expect(refusal(parseNewRx(newRxDocument('<RxRenewalRequest/>')))).toEqual({
        kind: 'not_newrx',
        problems: ['Body contains RxRenewalRequest, expected NewRx'],
      });
    });

    it('says so when the Body is empty', () => {
      expect(refusal(parseNewRx(newRxDocument('')))).toEqual({
        kind: 'not_newrx',
        problems: ['Body is empty, expected NewRx'],
      });
    });

    it('says so when there is no Body', () => {
      expect(refusal(parseNewRx('<Message><Header><MessageID>msg-1</MessageID></Header></Message>'))).toEqual(
        {
          kind: 'not_newrx',
          problems: ['Message has no Body, expected Body/NewRx'],
        },
      );
    });

    it.each([
      ['no MessageID', '<Header><SentTime>2026-11-02T14:05:31Z</SentTime></Header>'],
      ['an empty MessageID', '<Header><MessageID>  </MessageID></Header>'],
      ['no Header', ''],
    ])('refuses a NewRx with %s, since intake is idempotent on it', (_, header) => {
      expect(refusal(parseNewRx(newRxDocument('<NewRx/>', header)))).toEqual({
        kind: 'not_newrx',
        problems: ['Header/MessageID is missing'],
      });
    });

    it('reports a wrong transaction and a missing MessageID together', () => {
      expect(refusal(parseNewRx(newRxDocument('<CancelRx/>', '<Header/>')))).toEqual({
        kind: 'not_newrx',
        problems: ['Body contains CancelRx, expected NewRx', 'Header/MessageID is missing'],
      });
    });
  });
});

describe('patientKey', () => {
  it('identifies the patient by the first Identification child', () => {
    expect(patientKey(parsedMessage(readNcpdpFixture('newrx-specialty-valid.xml')))).toBe(
      'MedicalRecordIdentificationNumberEHR:MRN-0042117',
    );
  });

  it('follows document order when the patient has several identifiers', () => {
    const message = parsedMessage(
      newRxDocument(`<NewRx><Patient><HumanPatient><Identification>
        <PayerID>PAYER-9</PayerID>
        <MedicalRecordIdentificationNumberEHR>MRN-1</MedicalRecordIdentificationNumberEHR>
      </Identification></HumanPatient></Patient></NewRx>`),
    );
    expect(patientKey(message)).toBe('PayerID:PAYER-9');
  });

  it('is undefined when the patient carries no identifier', () => {
    expect(patientKey(parsedMessage(newRxDocument('<NewRx/>')))).toBeUndefined();
  });
});
