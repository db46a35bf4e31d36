import { describe, expect, it } from 'vitest';
import { haversineKm, stateCentroid, US_STATES } from '../../../src/domain/routing/geo.js';

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
