import { z } from 'zod';
import { isSingleEmailAddress } from '../emailAddress.js';
import { isValidDea, isValidNpi, normaliseNdc } from './identifiers.js';
import type { NewRxMessage } from './types.js';

/**
 * The business rules a NewRx must pass before the pharmacy acts on it. Every fault is
 * reported at once, so the prescriber fixes them in one round trip rather than one per
 * rejection. Issue messages never repeat patient data: they end up in queues and logs.
 */
export const VALIDATION_CODES = [
  'REQUIRED_FIELD_MISSING',
  'PRESCRIBER_NPI_INVALID',
  'PHARMACY_NPI_INVALID',
  'DEA_INVALID',
  'NDC_INVALID',
  'SIG_EMPTY',
  'QUANTITY_INVALID',
  'DAYS_SUPPLY_INVALID',
  'REFILLS_INVALID',
  'WRITTEN_DATE_INVALID',
  'WRITTEN_DATE_IN_FUTURE',
  'WRITTEN_DATE_TOO_OLD',
  'DOB_INVALID',
  'DOB_IN_FUTURE',
  'DOB_IMPLAUSIBLE',
  'EMAIL_INVALID',
  'PATIENT_IDENTITY_MISMATCH',
] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];

/** `field` is a dot path into NewRxMessage, the same path a correction uses. */
export type ValidationIssue = { code: ValidationCode; field: string; message: string };

export type PatientRecord = { lastName: string; firstName: string; dateOfBirth: string };

export type ValidationContext = {
  now: Date;
  /** What the pharmacy already holds for this patient key, if it has seen them before. */
  earlierPatientRecord?: PatientRecord;
};

export type ValidationResult = { ok: true; normalisedNdc: string } | { ok: false; issues: ValidationIssue[] };

type RequiredField = {
  field: string;
  label: string;
  read: (message: NewRxMessage) => string | undefined;
  /** Present but blank is its own fault for some fields. */
  blankCode?: ValidationCode;
};

/** Without these a pharmacist cannot identify the patient, check the prescriber, fill or bill. */
export const REQUIRED_FIELDS: readonly RequiredField[] = [
  { field: 'header.messageId', label: 'Message id', read: (m) => m.header.messageId },
  { field: 'patient.lastName', label: 'Patient last name', read: (m) => m.patient.lastName },
  { field: 'patient.firstName', label: 'Patient first name', read: (m) => m.patient.firstName },
  { field: 'patient.dateOfBirth', label: 'Patient date of birth', read: (m) => m.patient.dateOfBirth },
  { field: 'prescriber.npi', label: 'Prescriber NPI', read: (m) => m.prescriber.npi },
  { field: 'medication.description', label: 'Drug description', read: (m) => m.medication.description },
  { field: 'medication.productCode', label: 'Product code (NDC)', read: (m) => m.medication.productCode },
  { field: 'medication.quantity', label: 'Quantity', read: (m) => m.medication.quantity },
  { field: 'medication.daysSupply', label: 'Days supply', read: (m) => m.medication.daysSupply },
  { field: 'medication.writtenDate', label: 'Written date', read: (m) => m.medication.writtenDate },
  {
    field: 'medication.sig',
    label: 'Sig (directions for use)',
    read: (m) => m.medication.sig,
    blankCode: 'SIG_EMPTY',
  },
];

/** A day's supply of at least one; more than a year's supply outlives the prescription itself. */
export const DAYS_SUPPLY_RANGE = { min: 1, max: 365 } as const;

/**
 * Non-controlled prescriptions are generally good for a year, so monthly fills allow the
 * original plus 11 refills. Tighter limits for controlled substances (5 refills in schedules
 * III–V, none in II) need the drug's schedule, which the NewRx does not carry.
 */
export const REFILLS_RANGE = { min: 0, max: 11 } as const;

/** Most states let a prescription be filled for a year after it was written. */
export const MAX_WRITTEN_DATE_AGE_DAYS = 365;

export const validatePrescription = (message: NewRxMessage, context: ValidationContext): ValidationResult => {
  const ndc = checkProductCode(message);
  const issues = [
    ...checkRequiredFields(message),
    ...checkIdentifiers(message),
    ...ndc.issues,
    ...checkAmounts(message),
    ...checkWrittenDate(message, context.now),
    ...checkDateOfBirth(message, context.now),
    ...checkEmail(message),
    ...checkIdentity(message, context.earlierPatientRecord),
  ];
  // The product code is required, so without issues there is always a normalised NDC.
  return issues.length === 0 && ndc.ndc11 !== undefined
    ? { ok: true, normalisedNdc: ndc.ndc11 }
    : { ok: false, issues };
};

const issue = (code: ValidationCode, field: string, message: string): ValidationIssue => ({
  code,
  field,
  message,
});

/** Whether a value is there to judge; absent and blank values are the required-field rule's business. */
const isPresent = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

const checkRequiredFields = (message: NewRxMessage): ValidationIssue[] =>
  REQUIRED_FIELDS.flatMap(({ field, label, read, blankCode }) => {
    const value = read(message);
    if (value === undefined) return [issue('REQUIRED_FIELD_MISSING', field, `${label} is missing`)];
    return value.trim() === ''
      ? [issue(blankCode ?? 'REQUIRED_FIELD_MISSING', field, `${label} is empty`)]
      : [];
  });

const checkIdentifiers = ({ prescriber, pharmacy }: NewRxMessage): ValidationIssue[] => {
  const issues: ValidationIssue[] = [];
  if (isPresent(prescriber.npi) && !isValidNpi(prescriber.npi)) {
    issues.push(issue('PRESCRIBER_NPI_INVALID', 'prescriber.npi', npiProblem('Prescriber', prescriber.npi)));
  }
  // The pharmacy NPI and the DEA number are optional; judged only when sent.
  if (isPresent(pharmacy?.npi) && !isValidNpi(pharmacy.npi)) {
    issues.push(issue('PHARMACY_NPI_INVALID', 'pharmacy.npi', npiProblem('Pharmacy', pharmacy.npi)));
  }
  if (isPresent(prescriber.dea) && !isValidDea(prescriber.dea)) {
    const message = `DEA number ${prescriber.dea} is not two letters and seven digits with a valid check digit`;
    issues.push(issue('DEA_INVALID', 'prescriber.dea', message));
  }
  return issues;
};

const npiProblem = (whose: string, npi: string) =>
  `${whose} NPI ${npi} is not 10 digits starting with 1 or 2 with a valid check digit`;

const checkProductCode = ({ medication }: NewRxMessage): { ndc11?: string; issues: ValidationIssue[] } => {
  const { productCode, productCodeQualifier } = medication;
  // Only an NDC can be dispensed against and billed. The fix either way is a correct NDC, so
  // both faults point at the product code.
  if (isPresent(productCodeQualifier) && productCodeQualifier !== 'ND') {
    const message = `Product code qualifier is ${productCodeQualifier}, expected ND (an NDC)`;
    return { issues: [issue('NDC_INVALID', 'medication.productCode', message)] };
  }
  if (!isPresent(productCode)) return { issues: [] };
  const ndc = normaliseNdc(productCode);
  return ndc.ok
    ? { ndc11: ndc.ndc11, issues: [] }
    : { issues: [issue('NDC_INVALID', 'medication.productCode', ndc.reason)] };
};

const checkAmounts = ({ medication: { quantity, daysSupply, refills } }: NewRxMessage): ValidationIssue[] => {
  const issues: ValidationIssue[] = [];
  // Quantities may be fractional (0.4 mL), but never zero.
  if (isPresent(quantity) && !(/^\d+(\.\d+)?$/.test(quantity) && Number(quantity) > 0)) {
    const message = `Quantity ${quantity} is not a number greater than zero`;
    issues.push(issue('QUANTITY_INVALID', 'medication.quantity', message));
  }
  if (isPresent(daysSupply) && !isWholeNumberIn(daysSupply, DAYS_SUPPLY_RANGE)) {
    const message = outOfRange('Days supply', daysSupply, DAYS_SUPPLY_RANGE);
    issues.push(issue('DAYS_SUPPLY_INVALID', 'medication.daysSupply', message));
  }
  if (isPresent(refills) && !isWholeNumberIn(refills, REFILLS_RANGE)) {
    const message = outOfRange('Number of refills', refills, REFILLS_RANGE);
    issues.push(issue('REFILLS_INVALID', 'medication.refills', message));
  }
  return issues;
};

type Range = { min: number; max: number };

const isWholeNumberIn = (value: string, { min, max }: Range) =>
  /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

const outOfRange = (label: string, value: string, { min, max }: Range) =>
  `${label} ${value} is not a whole number from ${min} to ${max}`;

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** A YYYY-MM-DD that names a real day, as the epoch milliseconds of its UTC midnight. */
const calendarDay = (value: string): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date.getTime() : undefined;
};

/** The calendar day at a UTC offset, as the epoch milliseconds of its UTC midnight. */
const dayAtOffset = (now: Date, offsetHours: number) => {
  const local = new Date(now.getTime() + offsetHours * HOUR_MS);
  return local.setUTCHours(0, 0, 0, 0);
};

/**
 * A date without a time names a day on the prescriber's wall calendar, somewhere between
 * American Samoa (UTC−11) and Guam (UTC+10). Date rules judge against that whole span, so a
 * prescription is never refused for a time-zone difference.
 */
const usCalendarDays = (now: Date) => ({ earliest: dayAtOffset(now, -11), latest: dayAtOffset(now, 10) });

const checkWrittenDate = ({ medication: { writtenDate } }: NewRxMessage, now: Date): ValidationIssue[] => {
  if (!isPresent(writtenDate)) return [];
  const field = 'medication.writtenDate';
  const written = calendarDay(writtenDate);
  if (written === undefined) {
    const message = `Written date ${writtenDate} is not a real date in YYYY-MM-DD form`;
    return [issue('WRITTEN_DATE_INVALID', field, message)];
  }
  const { earliest, latest } = usCalendarDays(now);
  if (written > latest) {
    return [issue('WRITTEN_DATE_IN_FUTURE', field, `Written date ${writtenDate} is in the future`)];
  }
  if (earliest - written > MAX_WRITTEN_DATE_AGE_DAYS * DAY_MS) {
    const message = `Written date ${writtenDate} is more than ${MAX_WRITTEN_DATE_AGE_DAYS} days ago`;
    return [issue('WRITTEN_DATE_TOO_OLD', field, message)];
  }
  return [];
};

const checkDateOfBirth = ({ patient: { dateOfBirth } }: NewRxMessage, now: Date): ValidationIssue[] => {
  if (!isPresent(dateOfBirth)) return [];
  const born = calendarDay(dateOfBirth);
  if (born === undefined) {
    const message = 'Date of birth is not a real date in YYYY-MM-DD form';
    return [issue('DOB_INVALID', 'patient.dateOfBirth', message)];
  }
  if (born > usCalendarDays(now).latest)
    return [issue('DOB_IN_FUTURE', 'patient.dateOfBirth', 'Date of birth is in the future')];
  const oldest = new Date(usCalendarDays(now).earliest);
  oldest.setUTCFullYear(oldest.getUTCFullYear() - MAX_AGE_YEARS);
  return born < oldest.getTime()
    ? [
        issue(
          'DOB_IMPLAUSIBLE',
          'patient.dateOfBirth',
          `Date of birth is more than ${MAX_AGE_YEARS} years ago; check it with the prescriber`,
        ),
      ]
    : [];
};

/** Nobody alive is older; a birth date before this is a typing or system fault (0001-01-01, 1850-…). */
export const MAX_AGE_YEARS = 125;

/**
 * The patient's e-mail address receives their enrollment link: it must be exactly one address, or
 * the link could go to whoever added a second one (`a@b, evil@c`, `a@b\r\nBcc: evil@c`).
 */
const checkEmail = ({ patient: { email } }: NewRxMessage): ValidationIssue[] =>
  isPresent(email) && !isSingleEmailAddress(email.trim())
    ? [issue('EMAIL_INVALID', 'patient.email', 'E-mail address is not one valid address (name@domain)')]
    : [];

/** A different name or birth date under the same patient key may be someone else's record. */
const checkIdentity = ({ patient }: NewRxMessage, earlier: PatientRecord | undefined): ValidationIssue[] => {
  if (earlier === undefined) return [];
  const comparisons = [
    { field: 'patient.lastName', label: 'Last name', sent: patient.lastName, held: earlier.lastName },
    { field: 'patient.firstName', label: 'First name', sent: patient.firstName, held: earlier.firstName },
    // An unreadable birth date is already DOB_INVALID; comparing it too would report one fault twice.
    {
      field: 'patient.dateOfBirth',
      label: 'Date of birth',
      sent: readableDate(patient.dateOfBirth),
      held: earlier.dateOfBirth,
    },
  ];
  return comparisons
    .filter(({ sent, held }) => isPresent(sent) && comparable(sent) !== comparable(held))
    .map(({ field, label }) =>
      issue('PATIENT_IDENTITY_MISMATCH', field, `${label} differs from the patient's earlier record`),
    );
};

const readableDate = (value: string | undefined) =>
  value !== undefined && calendarDay(value) !== undefined ? value : undefined;

// NFC so that an é typed as one character matches é typed as e plus an accent.
const comparable = (value: string) => value.normalize('NFC').trim().toLowerCase();

const correctedText = z.string().trim().min(1).max(200);

/** What staff may correct on a prescription that failed validation; everything else is as sent. */
export const prescriptionCorrectionsSchema = z
  .strictObject({
    patient: z
      .strictObject({ lastName: correctedText, firstName: correctedText, dateOfBirth: correctedText })
      .partial()
      .optional(),
    prescriber: z.strictObject({ npi: correctedText, dea: correctedText }).partial().optional(),
    pharmacy: z.strictObject({ npi: correctedText }).partial().optional(),
    medication: z
      .strictObject({
        productCode: correctedText,
        quantity: correctedText,
        daysSupply: correctedText,
        refills: correctedText,
        // NCPDP allows up to 1,000 characters of free-text directions.
        sig: z.string().trim().min(1).max(1000),
        writtenDate: correctedText,
      })
      .partial()
      .optional(),
  })
  .refine(
    (corrections) => Object.values(corrections).some((part) => Object.keys(definedOnly(part)).length > 0),
    { message: 'At least one field must be corrected' },
  );

export type PrescriptionCorrections = z.output<typeof prescriptionCorrectionsSchema>;

/** A new message with the corrections laid over the original; the original is untouched. */
export const applyCorrections = (
  message: NewRxMessage,
  corrections: PrescriptionCorrections,
): NewRxMessage => ({
  ...message,
  patient: { ...message.patient, ...definedOnly(corrections.patient) },
  prescriber: { ...message.prescriber, ...definedOnly(corrections.prescriber) },
  pharmacy:
    corrections.pharmacy === undefined
      ? message.pharmacy
      : { ...message.pharmacy, ...definedOnly(corrections.pharmacy) },
  medication: {
    ...message.medication,
    ...definedOnly(corrections.medication),
    // Staff correct the product code with an NDC, whatever code system the sender used.
    ...(corrections.medication?.productCode === undefined ? {} : { productCodeQualifier: 'ND' }),
  },
});

/** `{ npi: undefined }` means "not corrected", never "erase the NPI". */
const definedOnly = <T extends object>(part: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(part ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
