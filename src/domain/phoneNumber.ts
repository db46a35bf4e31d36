/**
 * Patients' phone numbers, US and UK, in E.164 (`+15555550123`, `+447700900123`): the one form
 * Twilio accepts and the one we store, so the same line is always the same string (opt-outs are
 * matched on it). Numbers are typed by people: spaces, dashes, dots and brackets are fine, a
 * national form is read for the patient's own country, anything else is refused with a reason.
 */
export type PhoneCountry = 'US' | 'UK';

export type PhoneNumberProblem =
  | 'empty'
  | 'too_long'
  | 'unreadable'
  | 'unsupported_country'
  | 'wrong_length'
  | 'not_a_valid_number'
  | 'not_a_mobile';

export type PhoneNumberResult =
  | { ok: true; e164: string; country: PhoneCountry }
  | { ok: false; problem: PhoneNumberProblem; message: string };

/** Longer than any honest way of writing a US or UK number. */
const MAX_INPUT_LENGTH = 32;
/** Digits and the separators people type; a `+` only in front. */
const READABLE = /^\+?[0-9 ().-]+$/;

const refuse = (problem: PhoneNumberProblem, message: string): PhoneNumberResult => ({
  ok: false,
  problem,
  message,
});

/**
 * NANP: NXX-NXX-XXXX, N being 2–9; N11 codes (211, 911…) are services, not lines.
 * The NANP also covers Canada and the Caribbean; Twilio texts them under the same +1.
 */
const nanp = (tenDigits: string): PhoneNumberResult => {
  if (tenDigits.length !== 10) return refuse('wrong_length', 'a US number has 10 digits after the +1');
  const area = tenDigits.slice(0, 3);
  const exchange = tenDigits.slice(3, 6);
  const valid = /^[2-9]\d\d$/.test(area) && /^[2-9]\d\d$/.test(exchange) && !/^\d11$/.test(area);
  if (!valid) return refuse('not_a_valid_number', 'this is not a valid US area code and number');
  return { ok: true, e164: `+1${tenDigits}`, country: 'US' };
};

/** UK national significant number: 10 digits (some older 01 numbers have 9), never starting 0 or 4. */
const uk = (significant: string): PhoneNumberResult => {
  const length = significant.length;
  if (length !== 10 && !(length === 9 && significant.startsWith('1'))) {
    return refuse('wrong_length', 'a UK number has 10 digits after the +44 (11 with the leading 0)');
  }
  if (!/^[1235789]/.test(significant)) {
    return refuse('not_a_valid_number', 'this is not a valid UK number');
  }
  return { ok: true, e164: `+44${significant}`, country: 'UK' };
};

/** Reads a number as a person wrote it; a national form is taken as `country`'s. */
export const normalisePhoneNumber = (input: string, country: PhoneCountry): PhoneNumberResult => {
  const trimmed = input.trim();
  if (trimmed.length === 0) return refuse('empty', 'give a phone number');
  if (trimmed.length > MAX_INPUT_LENGTH) return refuse('too_long', 'this is too long for a phone number');
  if (!READABLE.test(trimmed)) {
    return refuse('unreadable', 'use digits only, with spaces or dashes if you like, and + in front');
  }
  const digits = trimmed.replace(/[^0-9]/g, '');
  // International forms: +…, and the dialling prefixes 00 (UK) and 011 (US) that mean the same.
  let international: string | null = null;
  if (trimmed.startsWith('+')) international = digits;
  else if (country === 'UK' && digits.startsWith('00')) international = digits.slice(2);
  else if (country === 'US' && digits.startsWith('011')) international = digits.slice(3);

  if (international !== null) {
    if (international.startsWith('1')) return nanp(international.slice(1));
    // The trunk 0 is sometimes kept after the code: +44 (0)7700 900123.
    if (international.startsWith('44')) return uk(international.slice(2).replace(/^0/, ''));
    return refuse('unsupported_country', 'we can only send texts to US (+1) and UK (+44) numbers');
  }
  if (country === 'US')
    return nanp(digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits);
  if (!digits.startsWith('0')) {
    return refuse('wrong_length', 'write a UK number with its leading 0, or with +44 in front');
  }
  return uk(digits.slice(1));
};

/**
 * UK mobiles are 07 numbers other than 076 (pagers, except 07624 on the Isle of Man); a text to a
 * landline never arrives. US numbers cannot be told apart by their digits, so any valid one goes.
 */
const isUkMobile = (e164: string) => /^\+447(?:[1-57-9]\d{8}|624\d{6})$/.test(e164);

/** A number the patient wants texts on: valid, and for the UK a mobile. */
export const smsNumber = (input: string, country: PhoneCountry): PhoneNumberResult => {
  const result = normalisePhoneNumber(input, country);
  if (result.ok && result.country === 'UK' && !isUkMobile(result.e164)) {
    return refuse('not_a_mobile', 'texts can only go to a mobile number (07…)');
  }
  return result;
};

/** The last digits only: enough for a patient or ops to recognise the line, not to dial it. */
export const maskedPhoneNumber = (e164: string) => `•••${e164.slice(-4)}`;
