import { describe, expect, it } from 'vitest';
import {
  type PharmacyDetails,
  type PharmacyEvent,
  pharmacyDecider,
} from '../../../src/domain/routing/pharmacy.js';
import { parseCsv, readPharmacyCsv, writePharmacyCsv } from '../../../src/domain/routing/pharmacyCsv.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec(pharmacyDecider);
const details: PharmacyDetails = {
  name: 'Harbor View Pharmacy',
  npi: '1558598797',
  ncpdpId: '1234567',
  address: { line1: '12 Harbor Rd', city: 'Toledo', state: 'OH', postalCode: '43604' },
  location: null,
  licensedStates: ['MI', 'OH'],
  acceptedPlans: [{ bin: '610014', pcn: 'CommPlanA' }],
  capabilities: { specialty: true, coldChain: true, frozen: false, limitedDistribution: [] },
  capacityPerDay: 50,
  turnaroundHours: 24,
};
const registered: PharmacyEvent = { type: 'PharmacyRegistered', data: { id: 'PH-1', ...details } };

describe('the pharmacy network decider', () => {
  it('registers a pharmacy whose details hold, and refuses one whose NPI check digit is wrong, listing every fault', () => {
    spec.given([]).when({ type: 'RegisterPharmacy', id: 'PH-1', details }).then([registered]);
    let problems: unknown;
    try {
      pharmacyDecider.decide(
        {
          type: 'RegisterPharmacy',
          id: 'PH-2',
          details: { ...details, npi: '1558598790', licensedStates: ['MI'], capacityPerDay: 0 },
        },
        pharmacyDecider.initialState(),
      );
    } catch (error) {
      problems = (error as { details: { problems: { field: string }[] } }).details.problems.map(
        (p) => p.field,
      );
    }
    expect(problems).toEqual(['npi', 'licensedStates', 'capacityPerDay']);
  });

  it('records an edit as the fields that changed, and an unchanged edit as nothing', () => {
    spec
      .given([registered])
      .when({ type: 'ChangePharmacyDetails', details: { ...details, capacityPerDay: 80 } })
      .then([
        {
          type: 'PharmacyDetailsChanged',
          data: {
            id: 'PH-1',
            changes: { capacityPerDay: { from: 50, to: 80 } },
            details: { ...details, capacityPerDay: 80 },
          },
        },
      ]);
    // Stored events come back with their keys in another order; that is no change.
    const reordered = JSON.parse(JSON.stringify({ ...details, address: { ...details.address } }));
    reordered.address = { postalCode: '43604', state: 'OH', city: 'Toledo', line1: '12 Harbor Rd' };
    spec.given([registered]).when({ type: 'ChangePharmacyDetails', details: reordered }).then([]);
  });

  it('suspends with a reason and reinstates; repeating either changes nothing', () => {
    const suspended: PharmacyEvent = {
      type: 'PharmacySuspended',
      data: { id: 'PH-1', reason: 'licence lapsed' },
    };
    spec.given([registered]).when({ type: 'SuspendPharmacy', reason: ' licence lapsed ' }).then([suspended]);
    spec.given([registered, suspended]).when({ type: 'SuspendPharmacy', reason: 'again' }).then([]);
    spec
      .given([registered, suspended])
      .when({ type: 'ReinstatePharmacy', reason: 'renewed' })
      .then([{ type: 'PharmacyReinstated', data: { id: 'PH-1', reason: 'renewed' } }]);
    spec.given([registered]).when({ type: 'SuspendPharmacy', reason: '' }).thenThrows('REASON_REQUIRED');
    spec.given([]).when({ type: 'SuspendPharmacy', reason: 'abc' }).thenThrows('PHARMACY_NOT_FOUND');
  });
});

describe('the network CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks, and CRLF line ends', () => {
    expect(parseCsv('a,"b, ""c""\nd",e\r\n1,2,3\r\n')).toEqual([
      { line: 1, fields: ['a', 'b, "c"\nd', 'e'] },
      { line: 3, fields: ['1', '2', '3'] },
    ]);
  });

  it('round-trips a network: written, then read, it is the same pharmacies', () => {
    const network = [
      { id: 'PH-1', ...details, name: 'Harbor View Pharmacy, "Downtown"' },
      { id: 'PH-2', ...details, npi: '1234567893', location: { lat: 41.65, lon: -83.54 } },
    ];
    const read = readPharmacyCsv(writePharmacyCsv(network));
    expect(read.rejected).toEqual([]);
    expect(read.rows.map((r) => ({ id: r.id, ...r.details }))).toEqual(network);
  });
});
