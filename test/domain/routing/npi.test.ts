import { describe, expect, it } from 'vitest';
import { isValidNpi, npiCheckDigit } from '../../../src/domain/routing/npi.js';

describe('NPI check digit', () => {
  it('given the CMS example 123456789, when the check digit is computed, then it is 3', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
  });

  it('given a wrong check digit, length or leading digit, when validated, then the NPI is refused', () => {
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('3234567893')).toBe(false);
  });
});
