/**
 * Check digits and formats of the identifiers a US prescription carries. Each function looks
 * at the string exactly as given: a stray space or hyphen is a fault the prescriber must fix,
 * not something to guess around.
 */

/** The ISO health-industry prefix every NPI's check digit is computed over. */
const NPI_PREFIX = '80840';

/**
 * An NPI is 10 digits starting with 1 or 2, and its last digit is the Luhn check digit of
 * 80840 followed by the first nine.
 */
export const isValidNpi = (npi: string): boolean =>
  /^[12]\d{9}$/.test(npi) && luhnCheckDigit(NPI_PREFIX + npi.slice(0, 9)) === Number(npi[9]);

/** The digit that, appended to `payload`, makes the Luhn sum a multiple of ten. */
const luhnCheckDigit = (payload: string): number => {
  let sum = 0;
  // Walking from the right, the check digit will sit at position 0, so payload digits at
  // even offsets from the right end are the doubled ones.
  for (let offset = 0; offset < payload.length; offset++) {
    const digit = Number(payload[payload.length - 1 - offset]);
    const weighted = offset % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return (10 - (sum % 10)) % 10;
};

/**
 * A DEA registration number is two letters and seven digits d1..d7 where
 * (d1 + d3 + d5) + 2 × (d2 + d4 + d6) ends in d7. Letters are accepted in either case: the
 * number is the same whichever way it was typed.
 */
export const isValidDea = (dea: string): boolean => {
  if (!/^[A-Za-z]{2}\d{7}$/.test(dea)) return false;
  // d1 is the first digit after the two letters.
  const d = (n: number) => Number(dea.charAt(1 + n));
  return (d(1) + d(3) + d(5) + 2 * (d(2) + d(4) + d(6))) % 10 === d(7);
};

export type NdcNormalisation = { ok: true; ndc11: string } | { ok: false; reason: string };

/**
 * Turns an NDC into the 11-digit 5-4-2 billing form. A 10-digit NDC is only unambiguous with
 * its hyphens, because they say which segment is short and gets the leading zero.
 */
export const normaliseNdc = (ndc: string): NdcNormalisation => {
  const segments = ndc.split('-');
  if (segments.some((segment) => !/^\d+$/.test(segment))) {
    return {
      ok: false,
      reason: `NDC ${JSON.stringify(ndc)} must be digits, optionally in hyphenated segments`,
    };
  }
  const lengths = segments.map((segment) => segment.length).join('-');
  const [labeler = '', product = '', pack = ''] = segments;
  switch (lengths) {
    case '11':
      return { ok: true, ndc11: labeler };
    case '10':
      return {
        ok: false,
        reason: `NDC ${ndc} has 10 digits without hyphens, so it cannot be told whether it is 4-4-2, 5-3-2 or 5-4-1`,
      };
    case '5-4-2':
      return { ok: true, ndc11: labeler + product + pack };
    case '4-4-2':
      return { ok: true, ndc11: `0${labeler}${product}${pack}` };
    case '5-3-2':
      return { ok: true, ndc11: `${labeler}0${product}${pack}` };
    case '5-4-1':
      return { ok: true, ndc11: `${labeler}${product}0${pack}` };
    default:
      return {
        ok: false,
        reason: `NDC ${ndc} is laid out ${lengths}; expected 4-4-2, 5-3-2, 5-4-1, 5-4-2 or 11 digits`,
      };
  }
};
