/**
 * NPI check digit: Luhn over the nine base digits prefixed with 80840 (the health-industry issuer
 * prefix), as CMS specifies. Computing it lets the synthetic network hold NPIs a validator accepts.
 */
export const npiCheckDigit = (nineDigits: string): number => {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error(`NPI base must be 9 digits, got ${nineDigits}`);
  const digits = `80840${nineDigits}`;
  let sum = 0;
  // Luhn: double every second digit counting from the right of the payload (the check digit is appended after).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    const digit = Number(digits[i]) * (double ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  }
  return (10 - (sum % 10)) % 10;
};

/** Ten digits, starting 1 or 2, with a correct check digit. */
export const isValidNpi = (npi: string): boolean =>
  /^[12]\d{9}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
