import { describe, expect, it } from 'vitest';
import { PHARMACY_NETWORK } from '../../../src/domain/routing/network.js';
import { rankPharmacies } from '../../../src/domain/routing/rank.js';
import { COLUMBUS, COMMERCIAL_A, pharmacy, request } from './fixtures.js';

const ids = (recommendations: { pharmacyId: string }[]) => recommendations.map((r) => r.pharmacyId);
const CLEVELAND = { lat: 41.4993, lon: -81.6944 };
const PHOENIX = { lat: 33.4484, lon: -112.074 };
const LENALIDOMIDE = '59572041028';
const UNKNOWN_NDC = '12345678901';

describe('rankPharmacies filters', () => {
  it('given a patient in OH, when ranking, then pharmacies not licensed in OH are excluded', () => {
    const network = [pharmacy('PH-A'), pharmacy('PH-B', { licensedStates: ['PA', 'MI'] })];
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-A']);
  });

  it('given a plan, when ranking, then pharmacies outside its network are excluded', () => {
    const network = [
      pharmacy('PH-A'),
      pharmacy('PH-B', { acceptedPlans: [{ bin: '610014', pcn: 'CommPlanB' }] }),
      pharmacy('PH-C', { acceptedPlans: [{ bin: '004336', pcn: 'CommPlanA' }] }),
    ];
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-A']);
  });

  it('given a PCN typed in another case, when ranking, then the plan still matches', () => {
    const network = [pharmacy('PH-A')];
    expect(ids(rankPharmacies(network, { ...request, plan: { bin: '610014', pcn: 'COMMPLANA' } }))).toEqual([
      'PH-A',
    ]);
  });

  it('given a cash-pay patient, when ranking, then no plan filter applies and the reasons say so', () => {
    const network = [pharmacy('PH-A', { acceptedPlans: [] })];
    const [only] = rankPharmacies(network, { ...request, plan: null });
    expect(only?.pharmacyId).toBe('PH-A');
    expect(only?.reasons).toContain('No insurance plan: cash price, network not checked');
  });

  it('given a cold-chain drug, when ranking, then pharmacies without cold chain are excluded', () => {
    const network = [
      pharmacy('PH-A'),
      pharmacy('PH-B', { capabilities: { specialty: true, coldChain: false, limitedDistribution: [] } }),
    ];
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-A']);
  });

  it('given a specialty drug, when ranking, then non-specialty pharmacies are excluded', () => {
    const network = [
      pharmacy('PH-A'),
      pharmacy('PH-B', { capabilities: { specialty: false, coldChain: true, limitedDistribution: [] } }),
    ];
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-A']);
  });

  it('given a limited-distribution drug, when ranking, then only pharmacies with access by family or NDC remain', () => {
    const network = [
      pharmacy('PH-A', {
        capabilities: { specialty: true, coldChain: false, limitedDistribution: ['lenalidomide'] },
      }),
      pharmacy('PH-B', {
        capabilities: { specialty: true, coldChain: false, limitedDistribution: [LENALIDOMIDE] },
      }),
      pharmacy('PH-C', {
        capabilities: { specialty: true, coldChain: true, limitedDistribution: ['ambrisentan'] },
      }),
      pharmacy('PH-D'),
    ];
    const recommendations = rankPharmacies(network, {
      ...request,
      ndc11: LENALIDOMIDE,
      requiresColdChain: false,
      limitedDistributionDrug: 'lenalidomide',
    });
    expect(ids(recommendations)).toEqual(['PH-A', 'PH-B']);
    expect(recommendations[0]?.reasons).toContain('Limited-distribution access for lenalidomide');
  });

  it('given the caller forgot the drug flags, when ranking adalimumab, then the drug table still demands cold chain and specialty', () => {
    const network = [
      pharmacy('PH-A'),
      pharmacy('PH-B', { capabilities: { specialty: true, coldChain: false, limitedDistribution: [] } }),
      pharmacy('PH-C', { capabilities: { specialty: false, coldChain: true, limitedDistribution: [] } }),
    ];
    expect(
      ids(rankPharmacies(network, { ...request, requiresColdChain: false, isSpecialty: false })),
    ).toEqual(['PH-A']);
  });

  it('given an ordinary drug, when ranking, then community pharmacies without cold chain qualify', () => {
    const network = [
      pharmacy('PH-A', { capabilities: { specialty: false, coldChain: false, limitedDistribution: [] } }),
    ];
    const recommendations = rankPharmacies(network, {
      ...request,
      ndc11: UNKNOWN_NDC,
      requiresColdChain: false,
      isSpecialty: false,
    });
    expect(ids(recommendations)).toEqual(['PH-A']);
    expect(recommendations[0]?.reasons).not.toContain('Cold-chain capable');
  });
});

describe('rankPharmacies scores', () => {
  it('given an idle same-day pharmacy next door, when scored, then it earns all 100 points', () => {
    const best = pharmacy('PH-A', { currentLoad: 0, turnaroundHours: 4 });
    expect(rankPharmacies([best], request)[0]?.score).toBe(100);
  });

  it('given a full, slow pharmacy beyond the distance cutoff, when scored, then it earns nothing', () => {
    const worst = pharmacy('PH-A', { location: PHOENIX, currentLoad: 100, turnaroundHours: 72 });
    expect(rankPharmacies([worst], request)[0]?.score).toBe(0);
  });

  it('given 200 km, 85% load and a 24 h turnaround, when scored, then the weights add up as documented', () => {
    // Cleveland is 203 km from Columbus: 40 × (1 − 203/2000) + 35 × 0.15 + 25 × 48/68.
    const [only] = rankPharmacies([pharmacy('PH-A', { location: CLEVELAND, currentLoad: 85 })], request);
    expect(only?.score).toBe(58.8); // 35.94 + 5.25 + 17.65
  });

  it('given pharmacies differing in one factor, when ranked, then nearer, emptier and faster come first', () => {
    expect(
      ids(rankPharmacies([pharmacy('PH-FAR', { location: CLEVELAND }), pharmacy('PH-NEAR')], request)),
    ).toEqual(['PH-NEAR', 'PH-FAR']);
    expect(
      ids(
        rankPharmacies(
          [pharmacy('PH-BUSY', { currentLoad: 95 }), pharmacy('PH-IDLE', { currentLoad: 10 })],
          request,
        ),
      ),
    ).toEqual(['PH-IDLE', 'PH-BUSY']);
    expect(
      ids(
        rankPharmacies(
          [pharmacy('PH-SLOW', { turnaroundHours: 72 }), pharmacy('PH-FAST', { turnaroundHours: 8 })],
          request,
        ),
      ),
    ).toEqual(['PH-FAST', 'PH-SLOW']);
  });

  it('given equal scores, when ranked, then the lower id comes first whatever the input order', () => {
    expect(ids(rankPharmacies([pharmacy('PH-C'), pharmacy('PH-A'), pharmacy('PH-B')], request))).toEqual([
      'PH-A',
      'PH-B',
      'PH-C',
    ]);
  });

  it('given more candidates than the limit, when ranked, then five are returned unless told otherwise', () => {
    const network = Array.from({ length: 8 }, (_, i) => pharmacy(`PH-${i}`, { currentLoad: i * 10 }));
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-0', 'PH-1', 'PH-2', 'PH-3', 'PH-4']);
    expect(rankPharmacies(network, request, { limit: 2 })).toHaveLength(2);
  });
});

describe('rankPharmacies reasons', () => {
  it('given an eligible pharmacy, when ranked, then every filter and score factor is explained', () => {
    const [only] = rankPharmacies([pharmacy('PH-A', { location: CLEVELAND, currentLoad: 85 })], request);
    expect(only?.reasons).toEqual([
      'Licensed in OH',
      'In network for BIN 610014 / PCN CommPlanA',
      'Specialty pharmacy',
      'Cold-chain capable',
      '203 km away',
      'At 85% of daily capacity',
      'Turnaround 24 h',
    ]);
  });

  it('given weak factors, when ranked, then the reasons flag them', () => {
    const [only] = rankPharmacies(
      [
        pharmacy('PH-A', {
          location: PHOENIX,
          licensedStates: ['OH', 'AZ'],
          currentLoad: 104,
          turnaroundHours: 72,
        }),
      ],
      request,
    );
    expect(only?.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+ km away — far$/),
        'At 104% of daily capacity — over capacity',
        'Turnaround 72 h — slow',
      ]),
    );
  });

  it('given only a postal code or only a state, when ranked, then the distance is an estimate and says from where', () => {
    const network = [pharmacy('PH-A')];
    const { patientLocation: _, ...withoutLocation } = request;
    const byZip = rankPharmacies(network, { ...withoutLocation, patientPostalCode: '43210' })[0];
    const byState = rankPharmacies(network, withoutLocation)[0];
    expect(byZip?.reasons).toContain('≈0 km away (ZIP 432xx area)');
    expect(byState?.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^≈\d+ km from the centre of OH$/)]),
    );
  });
});

describe('rankPharmacies on the synthetic network', () => {
  const ohioAdalimumab = { ...request, patientLocation: undefined, patientPostalCode: '43215' };

  it('given an OH patient on CommPlanA needing adalimumab, when ranked, then every pick passes every filter, best first', () => {
    const recommendations = rankPharmacies(PHARMACY_NETWORK, ohioAdalimumab);
    expect(recommendations).toHaveLength(5);
    for (const recommendation of recommendations) {
      const chosen = PHARMACY_NETWORK.find((p) => p.id === recommendation.pharmacyId);
      expect(chosen?.licensedStates).toContain('OH');
      expect(chosen?.acceptedPlans).toContainEqual(COMMERCIAL_A);
      expect(chosen?.capabilities).toMatchObject({ specialty: true, coldChain: true });
      expect(recommendation.score).toBeGreaterThanOrEqual(0);
      expect(recommendation.score).toBeLessThanOrEqual(100);
    }
    const scores = recommendations.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('given the same request twice or a shuffled network, when ranked, then the answer is identical', () => {
    const first = rankPharmacies(PHARMACY_NETWORK, ohioAdalimumab, { limit: 20 });
    const reversed = rankPharmacies([...PHARMACY_NETWORK].reverse(), ohioAdalimumab, { limit: 20 });
    expect(rankPharmacies(PHARMACY_NETWORK, ohioAdalimumab, { limit: 20 })).toEqual(first);
    expect(reversed).toEqual(first);
  });

  it('given a patient in a state without a licensed pharmacy, when ranked, then nothing is recommended', () => {
    expect(
      rankPharmacies([pharmacy('PH-A')], { ...request, patientState: 'ZZ', patientLocation: COLUMBUS }),
    ).toEqual([]);
  });
});
