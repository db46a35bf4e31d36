/** Dollars as people type them: an optional `$`, thousands commas in their places, at most two decimals. */
const DOLLARS = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

/** Nine digits of dollars keeps every amount an exact integer of cents, far above any refund. */
const MAX_WHOLE_DIGITS = 9;

export type ParsedDollars = { ok: true; cents: number } | { ok: false; problem: string };

/**
 * Reads an amount in dollars as integer cents. The digits are joined as text before they become a
 * number, never multiplied as a float: `0.29 * 100` is 28.999999999999996.
 */
export const parseDollars = (text: string): ParsedDollars => {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '$') return refused('Enter an amount in dollars, for example 12.50.');
  const match = DOLLARS.exec(trimmed);
  const [, whole = '', fraction = ''] = match ?? [];
  if (!match || (whole === '' && fraction === ''))
    return refused('Enter dollars and cents in digits, for example 1,234.56.');
  if (fraction.length > 2) return refused('Give at most two digits after the decimal point.');
  const dollars = whole.replaceAll(',', '').replace(/^0+(?=\d)/, '');
  if (dollars.length > MAX_WHOLE_DIGITS) return refused('That amount is too large.');
  const cents = Number(`${dollars || '0'}${fraction.padEnd(2, '0')}`);
  if (cents === 0) return refused('Enter an amount more than $0.00.');
  return { ok: true, cents };
};

const refused = (problem: string): ParsedDollars => ({ ok: false, problem });
