import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../src/projections/orders/orderSearch.js';

describe('what one search box may mean', () => {
  it('reads a date of birth written the ISO or the US way', () => {
    expect(searchTerms('1979-03-14').dob).toBe('1979-03-14');
    expect(searchTerms('3/14/1979').dob).toBe('1979-03-14');
    expect(searchTerms('03/14/1979').dob).toBe('1979-03-14');
    expect(searchTerms('Okafor').dob).toBeNull();
  });

  it('reads an NDC in its 11-digit or hyphenated 10-digit shapes', () => {
    expect(searchTerms('00074-4339-02').ndc11).toBe('00074433902');
    expect(searchTerms('00074433902').ndc11).toBe('00074433902');
    expect(searchTerms('not-an-ndc').ndc11).toBeNull();
  });

  it('matches identifiers whole and case-blind, and text by part with LIKE wildcards escaped', () => {
    expect(searchTerms(' mrn-0042117 ').exact).toBe('MRN-0042117');
    expect(searchTerms('50%_off').like).toBe('%50\\%\\_off%');
  });
});
