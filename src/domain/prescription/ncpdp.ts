import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Address, MedicationPrescribed, NewRxMessage, Patient, Pharmacy, Prescriber } from './types.js';

/**
 * Reads an NCPDP SCRIPT NewRx into a NewRxMessage. Parsing only extracts: a NewRx with a bad
 * NPI or no Sig still parses, so validation can list every fault at once. It refuses only what
 * cannot be a NewRx at all, plus any document type declaration, which is how XXE and entity
 * expansion attacks get in.
 */
export type ParseResult =
  | { ok: true; message: NewRxMessage }
  | { ok: false; kind: ParseFailureKind; problems: string[] };

export type ParseFailureKind = 'forbidden_dtd' | 'not_xml' | 'not_newrx' | 'field_invalid';

// Checked on the raw text before any parser sees it, so no parser setting can let one through.
const FORBIDDEN_DECLARATION = /<!(DOCTYPE|ENTITY)/i;

/**
 * Characters XML 1.0 does not allow in a document at all (NUL and the other C0 controls but tab,
 * line feed and carriage return; non-characters; unpaired surrogates). PostgreSQL cannot store NUL
 * either, so a message holding one is refused before anything is claimed or written.
 */
/** C0 controls but tab, line feed and carriage return (spelled as a string: a regex literal with them reads badly). */
const C0_CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F';
const ILLEGAL_XML_CHARACTER = new RegExp(
  `[${C0_CONTROLS}\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
);

/** NCPDP SCRIPT allows 35 characters; some senders use UUIDs with a prefix, so a little more. */
export const MAX_MESSAGE_ID_LENGTH = 100;
/** The longest NewRx text field (Sig, Note) is 1,000 characters; nothing legitimate comes near this. */
export const MAX_FIELD_LENGTH = 10_000;

const parser = new XMLParser({
  removeNSPrefix: true, // senders may write scr:Message; we match on local names
  ignoreAttributes: false, // To and From carry a Qualifier attribute
  // No entity machinery at all: declarations are refused above, and the few entities plain XML
  // text may hold are decoded by decodeXmlText below.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false, // 00074055402 is an NDC, not the number 74055402
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export const parseNewRx = (xml: string): ParseResult => {
  if (FORBIDDEN_DECLARATION.test(xml)) {
    return refuse('forbidden_dtd', ['Document type and entity declarations are not accepted']);
  }
  if (ILLEGAL_XML_CHARACTER.test(xml)) {
    return refuse('not_xml', ['The message holds a character XML does not allow (such as NUL)']);
  }
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    return refuse('not_xml', [`Not well-formed XML at line ${line}, column ${col}: ${msg}`]);
  }
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    // The parser refuses element names such as __proto__ that the validator lets through.
    return refuse('not_xml', [`Unreadable XML: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const [rootName, ...otherRoots] = elementNames(document);
  if (rootName === undefined || otherRoots.length > 0 || isRepeated(document, rootName)) {
    return refuse('not_xml', ['A document must have exactly one root element']);
  }
  if (rootName !== 'Message') return refuse('not_newrx', [`Root element is ${rootName}, expected Message`]);

  const root = child(document, rootName);
  const newRx = pathTo(root, 'Body', 'NewRx');
  const messageId = textAt(root, 'Header', 'MessageID');
  const problems = [
    ...(newRx === undefined ? [describeMissingNewRx(child(root, 'Body'))] : []),
    // Intake is idempotent on MessageID, so a message without one cannot be taken in safely.
    ...(messageId ? [] : ['Header/MessageID is missing']),
  ];
  if (newRx === undefined || !messageId) return refuse('not_newrx', problems);
  if (messageId.length > MAX_MESSAGE_ID_LENGTH || !/^[\x21-\x7E]+$/.test(messageId)) {
    return refuse('field_invalid', [
      `Header/MessageID must be 1 to ${MAX_MESSAGE_ID_LENGTH} printable ASCII characters without spaces`,
    ]);
  }

  const message: NewRxMessage = {
    header: {
      messageId,
      sentTime: textAt(root, 'Header', 'SentTime'),
      to: readParty(pathTo(root, 'Header', 'To')),
      from: readParty(pathTo(root, 'Header', 'From')),
      prescriberOrderNumber: textAt(root, 'Header', 'PrescriberOrderNumber'),
    },
    patient: readPatient(pathTo(newRx, 'Patient', 'HumanPatient')),
    pharmacy: readPharmacy(child(newRx, 'Pharmacy')),
    prescriber: readPrescriber(pathTo(newRx, 'Prescriber', 'NonVeterinarian')),
    medication: readMedication(child(newRx, 'MedicationPrescribed')),
  };
  const fieldProblems = textProblems(message);
  return fieldProblems.length > 0
    ? refuse('field_invalid', fieldProblems)
    : { ok: true, message: normalised(message) };
};

/** Every text value of the message with its dot path, the same path validation and corrections use. */
const textValues = (value: unknown, path: string): [string, string][] => {
  if (typeof value === 'string') return [[path, value]];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => textValues(inner, path ? `${path}.${key}` : key));
};

/**
 * A character reference may spell what the raw text may not (`&#1;`); a field may be huge. Both are
 * refused by path, without quoting the value: it is patient data.
 */
const textProblems = (message: NewRxMessage): string[] =>
  textValues(message, '').flatMap(([path, text]) => {
    if (ILLEGAL_XML_CHARACTER.test(text) || /[\u007F-\u009F]/.test(text))
      return [`${path} holds a control character`];
    if (text.length > MAX_FIELD_LENGTH) return [`${path} is longer than ${MAX_FIELD_LENGTH} characters`];
    return [];
  });

/** Unicode NFC throughout, so names compare and search the same however the sender composed them. */
const normalised = <T>(value: T): T => {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalised(inner)])) as T;
};

/**
 * The patient as intake identifies them across prescriptions: the first Identification child,
 * e.g. `MedicalRecordIdentificationNumberEHR:MRN-0042117`.
 */
export const patientKey = (message: NewRxMessage): string | undefined => {
  const [first] = Object.entries(message.patient.identifiers);
  return first === undefined ? undefined : `${first[0]}:${first[1]}`;
};

const refuse = (kind: ParseFailureKind, problems: string[]): ParseResult => ({ ok: false, kind, problems });

const describeMissingNewRx = (body: unknown): string => {
  if (body === undefined) return 'Message has no Body, expected Body/NewRx';
  const found = elementNames(body);
  return found.length === 0
    ? 'Body is empty, expected NewRx'
    : `Body contains ${found.join(', ')}, expected NewRx`;
};

const readParty = (node: unknown) => {
  const id = text(node);
  return id === undefined ? undefined : { id, qualifier: attribute(node, 'Qualifier') };
};

const readPatient = (human: unknown): Patient => {
  const identification = child(human, 'Identification');
  const identifiers: Record<string, string> = {};
  for (const name of elementNames(identification)) {
    const value = textAt(identification, name);
    if (value) identifiers[name] = value;
  }
  return {
    identifiers,
    lastName: textAt(human, 'Name', 'LastName'),
    firstName: textAt(human, 'Name', 'FirstName'),
    middleName: textAt(human, 'Name', 'MiddleName'),
    gender: textAt(human, 'Gender'),
    dateOfBirth: textAt(human, 'DateOfBirth', 'Date'),
    address: readAddress(child(human, 'Address')),
    phone: primaryPhone(human),
    email: textAt(human, 'CommunicationNumbers', 'ElectronicMail'),
  };
};

const readPharmacy = (pharmacy: unknown): Pharmacy | undefined =>
  pharmacy === undefined
    ? undefined
    : {
        ncpdpId: textAt(pharmacy, 'Identification', 'NCPDPID'),
        npi: textAt(pharmacy, 'Identification', 'NPI'),
        name: textAt(pharmacy, 'BusinessName'),
        address: readAddress(child(pharmacy, 'Address')),
        phone: primaryPhone(pharmacy),
      };

const readPrescriber = (prescriber: unknown): Prescriber => ({
  npi: textAt(prescriber, 'Identification', 'NPI'),
  dea: textAt(prescriber, 'Identification', 'DEANumber'),
  stateLicense: textAt(prescriber, 'Identification', 'StateLicenseNumber'),
  lastName: textAt(prescriber, 'Name', 'LastName'),
  firstName: textAt(prescriber, 'Name', 'FirstName'),
  address: readAddress(child(prescriber, 'Address')),
  phone: primaryPhone(prescriber),
});

const readMedication = (medication: unknown): MedicationPrescribed => {
  const coded = child(medication, 'DrugCoded');
  const drugDb = child(coded, 'DrugDBCode');
  return {
    description: textAt(medication, 'DrugDescription'),
    productCode: textAt(coded, 'ProductCode', 'Code'),
    productCodeQualifier: textAt(coded, 'ProductCode', 'Qualifier'),
    strength: textAt(coded, 'Strength', 'StrengthValue'),
    strengthForm: textAt(coded, 'Strength', 'StrengthForm', 'Code'),
    strengthUnit: textAt(coded, 'Strength', 'StrengthUnitOfMeasure', 'Code'),
    // Usually Code + Qualifier children; a bare code is kept rather than lost.
    drugDbCode: textAt(drugDb, 'Code') ?? text(drugDb),
    drugDbCodeQualifier: textAt(drugDb, 'Qualifier'),
    quantity: textAt(medication, 'Quantity', 'Value'),
    quantityQualifier: textAt(medication, 'Quantity', 'CodeListQualifier'),
    quantityUnit: textAt(medication, 'Quantity', 'QuantityUnitOfMeasure', 'Code'),
    daysSupply: textAt(medication, 'DaysSupply'),
    writtenDate: textAt(medication, 'WrittenDate', 'Date'),
    substitutions: textAt(medication, 'Substitutions'),
    refills: textAt(medication, 'NumberOfRefills'),
    sig: textAt(medication, 'Sig', 'SigText'),
    note: textAt(medication, 'Note'),
  };
};

const readAddress = (address: unknown): Address | undefined =>
  address === undefined
    ? undefined
    : {
        line1: textAt(address, 'AddressLine1'),
        line2: textAt(address, 'AddressLine2'),
        city: textAt(address, 'City'),
        state: textAt(address, 'StateProvince'),
        postalCode: textAt(address, 'PostalCode'),
        country: textAt(address, 'CountryCode'),
      };

const primaryPhone = (owner: unknown) => textAt(owner, 'CommunicationNumbers', 'PrimaryTelephone', 'Number');

// The parsed tree: an element is a string (text only) or an object keyed by child element
// name, '#text' and '@_'-prefixed attributes; a repeated element becomes an array.
const TEXT = '#text';
const ATTRIBUTE_PREFIX = '@_';

const isElementObject = (node: unknown): node is Record<string, unknown> =>
  typeof node === 'object' && node !== null && !Array.isArray(node);

/** A named child; of repeated elements the first, since NewRx repeats nothing we read. */
const child = (node: unknown, name: string): unknown => {
  if (!isElementObject(node) || !Object.hasOwn(node, name)) return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
};

const isRepeated = (node: unknown, name: string) => isElementObject(node) && Array.isArray(node[name]);

const pathTo = (node: unknown, ...names: string[]): unknown =>
  names.reduce<unknown>((current, name) => child(current, name), node);

const elementNames = (node: unknown): string[] =>
  isElementObject(node)
    ? Object.keys(node).filter((key) => key !== TEXT && !key.startsWith(ATTRIBUTE_PREFIX))
    : [];

/** An element's text; an element with children but no text of its own has none. */
const text = (node: unknown): string | undefined => {
  if (typeof node === 'string') return decodeXmlText(node);
  if (!isElementObject(node)) return undefined;
  const own = node[TEXT];
  if (typeof own === 'string') return decodeXmlText(own);
  return elementNames(node).length === 0 ? '' : undefined;
};

const textAt = (node: unknown, ...names: string[]) => text(pathTo(node, ...names));

const attribute = (node: unknown, name: string): string | undefined => {
  const value = isElementObject(node) ? node[ATTRIBUTE_PREFIX + name] : undefined;
  return typeof value === 'string' ? decodeXmlText(value) : undefined;
};

const PREDEFINED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * With entity processing off, `AT&amp;T` would stay escaped. The five predefined entities and
 * character references are plain XML text, not declarations, so decoding them in one pass
 * (never re-scanning the output) cannot expand anything.
 */
const decodeXmlText = (raw: string): string =>
  raw.replace(/&(?:#(\d+)|#x([0-9A-Fa-f]+)|(amp|lt|gt|quot|apos));/g, (whole, decimal, hex, name) => {
    if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? whole;
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex, 16);
    const isCharacter =
      codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
    return isCharacter ? String.fromCodePoint(codePoint) : whole;
  });
