import { describe, expect, it } from 'vitest';
import { rankPharmacies } from '../../../src/domain/routing/rank.js';
import { sampleNetwork } from '../../support/referenceData.js';
import { COLUMBUS, COMMERCIAL_A, capabilities, pharmacy, request } from './fixtures.js';

const ids = (recommendations: { pharmacyId: string }[]) => recommendations.map((r) => r.pharmacyId);
const CLEVELAND = { lat: 41.4993, lon: -81.6944 };
const PHOENIX = { lat: 33.4484, lon: -112.074 };
const LENALIDOMIDE = '59572041028';
const ATORVASTATIN = '00378215277';

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

  it('given a refrigerated drug, when ranking, then pharmacies without cold chain are excluded', () => {
    const network = [
      pharmacy('PH-A'),
      pharmacy('PH-B', { capabilities: capabilities({ coldChain: false }) }),
    ];
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-A']);
  });

  it('given a specialty drug, when ranking, then non-specialty pharmacies are excluded', () => {
    const network = [
      pharmacy('PH-A'),
      pharmacy('PH-B', { capabilities: capabilities({ specialty: false }) }),
    ];
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-A']);
  });

  it('given a suspended pharmacy, when ranking, then it is never recommended however well it scores', () => {
    const network = [
      pharmacy('PH-A', { openOrders: 99, turnaroundHours: 72 }),
      pharmacy('PH-B', {
        openOrders: 0,
        turnaroundHours: 4,
        status: 'suspended',
        suspension: { reason: 'licence lapsed', since: '2026-01-01T00:00:00Z', by: 'staff:1' },
      }),
    ];
    expect(ids(rankPharmacies(network, request, { limit: 10 }))).toEqual(['PH-A']);
  });

  it('given a limited-distribution drug, when ranking, then only pharmacies with access by family or NDC remain', () => {
    const network = [
      pharmacy('PH-A', {
        capabilities: capabilities({ coldChain: false, limitedDistribution: ['lenalidomide'] }),
      }),
      pharmacy('PH-B', {
        capabilities: capabilities({ coldChain: false, limitedDistribution: [LENALIDOMIDE] }),
      }),
      pharmacy('PH-C', { capabilities: capabilities({ limitedDistribution: ['ambrisentan'] }) }),
      pharmacy('PH-D'),
    ];
    const recommendations = rankPharmacies(network, {
      ...request,
      drug: {
        ndc11: LENALIDOMIDE,
        storageClass: 'ambient',
        specialty: true,
        limitedDistribution: 'lenalidomide',
      },
    });
    expect(ids(recommendations)).toEqual(['PH-A', 'PH-B']);
    expect(recommendations[0]?.reasons).toContain('Limited-distribution access for lenalidomide');
  });

  describe('each storage class goes only where it can be kept', () => {
    const fridgeOnly = pharmacy('PH-FRIDGE', { capabilities: capabilities({ frozen: false }) });
    const freezer = pharmacy('PH-FREEZER', {
      capabilities: capabilities({ coldChain: false, frozen: true }),
    });
    const shelfOnly = pharmacy('PH-SHELF', {
      capabilities: capabilities({ coldChain: false, frozen: false }),
    });
    const network = [fridgeOnly, freezer, shelfOnly];
    const forClass = (storageClass: 'ambient' | 'refrigerated' | 'frozen') =>
      rankPharmacies(network, { ...request, drug: { ...request.drug, storageClass } });

    it('given an ambient drug, then any pharmacy qualifies and no cold storage is claimed', () => {
      const found = forClass('ambient');
      expect(ids(found).sort()).toEqual(['PH-FREEZER', 'PH-FRIDGE', 'PH-SHELF']);
      for (const r of found) expect(r.reasons.join(' ')).not.toMatch(/Cold-chain|Freezer/);
    });

    it('given a refrigerated drug, then only cold-chain pharmacies qualify', () => {
      const found = forClass('refrigerated');
      expect(ids(found)).toEqual(['PH-FRIDGE']);
      expect(found[0]?.reasons).toContain('Cold-chain capable (2–8 °C)');
    });

    it('given a frozen drug, then only pharmacies with a freezer qualify', () => {
      const found = forClass('frozen');
      expect(ids(found)).toEqual(['PH-FREEZER']);
      expect(found[0]?.reasons).toContain('Freezer and dry-ice shipping');
    });
  });

  it('given an ordinary ambient drug, when ranking, then community pharmacies without cold chain qualify', () => {
    const network = [
      pharmacy('PH-A', { capabilities: capabilities({ specialty: false, coldChain: false, frozen: false }) }),
    ];
    const recommendations = rankPharmacies(network, {
      ...request,
      drug: { ndc11: ATORVASTATIN, storageClass: 'ambient', specialty: false, limitedDistribution: null },
    });
    expect(ids(recommendations)).toEqual(['PH-A']);
    expect(recommendations[0]?.reasons.join(' ')).not.toMatch(/Cold-chain/);
  });
});

describe('rankPharmacies scores', () => {
  it('given an idle same-day pharmacy next door, when scored, then it earns all 100 points', () => {
    const best = pharmacy('PH-A', { openOrders: 0, turnaroundHours: 4 });
    expect(rankPharmacies([best], request)[0]?.score).toBe(100);
  });

  it('given a full, slow pharmacy beyond the distance cutoff, when scored, then it earns nothing', () => {
    const worst = pharmacy('PH-A', { location: PHOENIX, openOrders: 100, turnaroundHours: 72 });
    expect(rankPharmacies([worst], request)[0]?.score).toBe(0);
  });

  it('given 200 km, 85% load and a 24 h turnaround, when scored, then the weights add up as documented', () => {
    // Cleveland is 203 km from Columbus: 40 × (1 − 203/2000) + 35 × 0.15 + 25 × 48/68.
    const [only] = rankPharmacies([pharmacy('PH-A', { location: CLEVELAND, openOrders: 85 })], request);
    expect(only?.score).toBe(58.8); // 35.94 + 5.25 + 17.65
  });

  it('given pharmacies differing in one factor, when ranked, then nearer, emptier and faster come first', () => {
    expect(
      ids(rankPharmacies([pharmacy('PH-FAR', { location: CLEVELAND }), pharmacy('PH-NEAR')], request)),
    ).toEqual(['PH-NEAR', 'PH-FAR']);
    expect(
      ids(
        rankPharmacies(
          [pharmacy('PH-BUSY', { openOrders: 95 }), pharmacy('PH-IDLE', { openOrders: 10 })],
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
    const network = Array.from({ length: 8 }, (_, i) => pharmacy(`PH-${i}`, { openOrders: i * 10 }));
    expect(ids(rankPharmacies(network, request))).toEqual(['PH-0', 'PH-1', 'PH-2', 'PH-3', 'PH-4']);
    expect(rankPharmacies(network, request, { limit: 2 })).toHaveLength(2);
  });
});

describe('rankPharmacies reasons', () => {
  it('given an eligible pharmacy, when ranked, then every filter and score factor is explained', () => {
    const [only] = rankPharmacies([pharmacy('PH-A', { location: CLEVELAND, openOrders: 85 })], request);
    expect(only?.reasons).toEqual([
      'Licensed in OH',
      'In network for BIN 610014 / PCN CommPlanA',
      'Specialty pharmacy',
      'Cold-chain capable (2–8 °C)',
      '126 mi away',
      '85 open orders for 100 a day (85%)',
      'Turnaround 24 h',
    ]);
  });

  it('given weak factors, when ranked, then the reasons flag them', () => {
    const [only] = rankPharmacies(
      [
        pharmacy('PH-A', {
          location: PHOENIX,
          licensedStates: ['OH', 'AZ'],
          openOrders: 104,
          turnaroundHours: 72,
        }),
      ],
      request,
    );
    expect(only?.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+ mi away — far$/),
        '104 open orders for 100 a day (104%) — over capacity',
        'Turnaround 72 h — slow',
      ]),
    );
  });

  it('given only a postal code or only a state, when ranked, then the distance is an estimate in miles and says from where', () => {
    const network = [pharmacy('PH-A')];
    const { patientLocation: _, ...withoutLocation } = request;
    const byZip = rankPharmacies(network, { ...withoutLocation, patientPostalCode: '43210' })[0];
    const byState = rankPharmacies(network, withoutLocation)[0];
    expect(byZip?.reasons).toContain('≈0 mi away (ZIP 432xx area)');
    expect(byState?.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^≈\d+ mi from the center of OH$/)]),
    );
  });
});

describe('rankPharmacies on the sandbox network', () => {
  const ohioAdalimumab = { ...request, patientLocation: undefined, patientPostalCode: '43215' };
  const PHARMACY_NETWORK = sampleNetwork().map((p) => ({
    ...p,
    status: 'active' as const,
    suspension: null,
    openOrders: 0,
  }));

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
