import { describe, expect, it } from 'vitest';
import { VendorRejectedError } from '../../../src/integrations/errors.js';
import { adjudicationProcess } from '../../../src/processes/prescription/adjudication.js';
import {
  eventsAfter,
  fakePool,
  givenOrder,
  orderHistory,
  prescriptionDeps,
  processContext,
} from './support.js';

/** The network read model knows the selected pharmacy's NPI. */
const networkWithNpi = () => fakePool([["data->>'npi' AS npi FROM pharmacies", [{ npi: '1234567893' }]]]);

describe('adjudication', () => {
  it('given a pharmacy selected, when handled, then the claim goes to the payer under a key from the event and the paid claim is recorded', async () => {
    const { pool, statements } = networkWithNpi();
    const { deps, calls } = prescriptionDeps(pool);
    const event = await givenOrder(deps, orderHistory.selected);
    const pm = adjudicationProcess(deps);
    const { context } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(statements[0]!.params).toEqual(['PH-1']);
    expect(calls.claims).toEqual([
      {
        claimId: context.idempotencyKey('claim'),
        coverage: { bin: '610014', pcn: 'P', group: 'G', memberId: 'M' },
        patient: { dateOfBirth: '1979-03-14', lastName: 'Okafor' },
        ndc11: '00074055402',
        quantity: 2,
        daysSupply: 28,
        dateOfService: '2026-11-21',
        pharmacyNpi: '1234567893',
      },
    ]);
    expect(await eventsAfter(deps, orderHistory.selected.length)).toEqual([
      {
        type: 'ClaimAdjudicated',
        data: {
          claimId: context.idempotencyKey('claim'),
          planName: 'Buckeye Commercial',
          planType: 'commercial',
          tier: 3,
          ingredientCostMinor: 650_000,
          planPaysMinor: 647_500,
          patientPaysMinor: 2_500,
          deductibleAppliedMinor: 0,
          couponAppliedMinor: 0,
          couponProgram: null,
          patientPaysAfterCouponMinor: 2_500,
        },
      },
    ]);
  });

  it('given the payer refuses the request itself, when handled, then the refusal is recorded as a rejected claim, not retried', async () => {
    const { deps, answers } = prescriptionDeps(networkWithNpi().pool);
    answers.adjudicate = async () => {
      throw new VendorRejectedError('payer', 'M1', 'member not found');
    };
    const event = await givenOrder(deps, orderHistory.selected);
    const pm = adjudicationProcess(deps);
    const { context } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(await eventsAfter(deps, orderHistory.selected.length)).toEqual([
      {
        type: 'ClaimRejected',
        data: {
          claimId: context.idempotencyKey('claim'),
          rejects: [{ code: 'M1', message: 'member not found' }],
        },
      },
    ]);
  });
});
