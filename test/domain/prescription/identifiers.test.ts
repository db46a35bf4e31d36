import { describe, expect, it } from 'vitest';
import { isValidDea, isValidNpi, normaliseNdc } from '../../../src/domain/prescription/identifiers.js';

describe('isValidNpi', () => {
  it.each(['1558598797', '1234567893', '1673492850', '2123456784'])(
    'accepts %s, whose check digit is right',
    (npi) => {
      expect(isValidNpi(npi)).toBe(true);
    },
  );

  it.each([
    ['1234567890', 'the check digit is wrong'],
    ['1673492851', 'one digit off the sample prescriber'],
    ['3234567893', 'it starts with 3'],
    ['0234567893', 'it starts with 0'],
    ['123456789', 'it has nine digits'],
    ['12345678930', 'it has eleven digits'],
    ['12345678a3', 'it holds a letter'],
    [' 1234567893', 'it has a leading space'],
    ['', 'it is empty'],
  ])('refuses %s because %s', (npi) => {
    expect(isValidNpi(npi)).toBe(false);
  });
});

describe('isValidDea', () => {
  it('accepts AP5836727: (5+3+7) + 2×(8+6+2) = 47 ends in 7', () => {
    expect(isValidDea('AP5836727')).toBe(true);
  });

  it('accepts the same number typed in lower case', () => {
    expect(isValidDea('ap5836727')).toBe(true);
  });

  it.each([
    ['AP5836728', 'the check digit is wrong'],
    ['A15836727', 'it has one letter'],
    ['AP583672', 'it has six digits'],
    ['AP58367270', 'it has eight digits'],
    ['5836727AP', 'the letters come last'],
    ['AP 5836727', 'it holds a space'],
    ['', 'it is empty'],
  ])('refuses %s because %s', (dea) => {
    expect(isValidDea(dea)).toBe(false);
  });
});

describe('normaliseNdc', () => {
  it.each([
    ['0002-7597-01', '00002759701', '4-4-2 gains a zero in the labeler'],
    ['50242-040-62', '50242004062', '5-3-2 gains a zero in the product'],
    ['60575-4112-1', '60575411201', '5-4-1 gains a zero in the package'],
    ['00002-7597-01', '00002759701', '5-4-2 is already eleven digits'],
    ['00074055402', '00074055402', 'eleven bare digits are already normalised'],
  ])('turns %s into %s (%s)', (ndc, ndc11) => {
    expect(normaliseNdc(ndc)).toEqual({ ok: true, ndc11 });
  });

  it('refuses a bare 10-digit NDC, which could be any of three layouts', () => {
    const result = normaliseNdc('0002759701');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/10 digits without hyphens/);
  });

  it.each([
    ['0074-554-02', 'a 4-3-2 layout'],
    ['000027597011', 'twelve digits'],
    ['00002-7597-01-1', 'four segments'],
    ['0002--7597-01', 'an empty segment'],
    ['ABCDE-1234-12', 'letters'],
    [' 00074055402', 'a leading space'],
    ['', 'nothing at all'],
  ])('refuses %s (%s)', (ndc) => {
    expect(normaliseNdc(ndc).ok).toBe(false);
  });
});
