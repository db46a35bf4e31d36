import { describe, expect, it } from 'vitest';
import { drugProfile, toNdc11 } from '../../../src/domain/routing/drugs.js';
import { haversineKm, stateCentroid, US_STATES } from '../../../src/domain/routing/geo.js';

describe('drugProfile', () => {
  it('given adalimumab 00074055402, then it is a specialty drug shipped cold, with open distribution', () => {
    expect(drugProfile('00074055402')).toMatchObject({
      isSpecialty: true,
      requiresColdChain: true,
      limitedDistribution: null,
    });
  });

  it('given lenalidomide, then it is limited distribution', () => {
    expect(drugProfile('59572041028')).toMatchObject({
      isSpecialty: true,
      limitedDistribution: 'lenalidomide',
    });
  });

  it('given insulin glargine, then it needs cold chain without being specialty', () => {
    expect(drugProfile('00088222033')).toMatchObject({ isSpecialty: false, requiresColdChain: true });
  });

  it('given an unknown NDC, then it is neither specialty nor cold chain', () => {
    expect(drugProfile('12345678901')).toEqual({
      ndc11: '12345678901',
      name: null,
      isSpecialty: false,
      requiresColdChain: false,
      limitedDistribution: null,
    });
  });

  it('given a hyphenated 4-4-2 label code, then it is padded to the billing NDC-11', () => {
    expect(drugProfile('0074-0554-02').ndc11).toBe('00074055402');
    expect(drugProfile('0074-0554-02').isSpecialty).toBe(true);
  });
});

describe('toNdc11', () => {
  it('given each labelled 10-digit layout, when converted, then the short segment gains a leading zero', () => {
    expect(toNdc11('1234-5678-90')).toBe('01234567890');
    expect(toNdc11('12345-678-90')).toBe('12345067890');
    expect(toNdc11('12345-6789-0')).toBe('12345678900');
    expect(toNdc11('12345-6789-01')).toBe('12345678901');
    expect(toNdc11('12345678901')).toBe('12345678901');
  });

  it('given something that is not an NDC, when converted, then the answer is null', () => {
    expect(toNdc11('1234-567-89')).toBeNull();
    expect(toNdc11('adalimumab')).toBeNull();
    expect(toNdc11('1234567890')).toBeNull();
  });
});

describe('geography', () => {
  it('given OH, then its centroid lies within 100 km of Columbus; case does not matter', () => {
    const ohio = stateCentroid('oh');
    expect(ohio).not.toBeNull();
    expect(haversineKm(ohio ?? { lat: 0, lon: 0 }, { lat: 39.9612, lon: -82.9988 })).toBeLessThan(100);
  });

  it('given an unknown state code, then there is no centroid', () => {
    expect(stateCentroid('ZZ')).toBeNull();
  });

  it('given the table, then it covers the 50 states and DC', () => {
    expect(US_STATES).toHaveLength(51);
  });

  it('given Columbus and Cleveland, then they are about 203 km apart', () => {
    expect(haversineKm({ lat: 39.9612, lon: -82.9988 }, { lat: 41.4993, lon: -81.6944 })).toBeCloseTo(203, 0);
  });
});
