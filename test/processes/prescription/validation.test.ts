import { describe, expect, it } from 'vitest';
import { validationProcess } from '../../../src/processes/prescription/validation.js';
import {
  eventsAfter,
  fakePool,
  givenOrder,
  ORDER_ID,
  prescriptionDeps,
  processContext,
  received,
} from './support.js';

const PATIENT_KEY = 'MRN-0042117@EHR-ACME-01';

describe('validation', () => {
  it('given a valid prescription received, when handled, then it is recorded as validated and its patient identity is kept for later orders', async () => {
    const { pool, statements } = fakePool([
      ['FROM patient_identities WHERE patient_key', []],
      ['INSERT INTO patient_identities', []],
    ]);
    const { deps } = prescriptionDeps(pool);
    const event = await givenOrder(deps, [received(PATIENT_KEY)]);
    const pm = validationProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, 1)).toEqual([
      {
        type: 'PrescriptionValidated',
        data: { normalisedNdc: '00074055402', validatedAt: deps.clock.now().toISOString() },
      },
    ]);
    expect(statements.at(-1)).toMatchObject({
      sql: expect.stringContaining('INSERT INTO patient_identities'),
      params: [PATIENT_KEY, 'Okafor', 'Adaeze', '1979-03-14', ORDER_ID],
    });
  });

  it('given an earlier order recorded another birth date under the same patient key, when handled, then validation fails and no identity is written', async () => {
    const { pool, statements } = fakePool([
      [
        'FROM patient_identities WHERE patient_key',
        [
          {
            lastName: 'Okafor',
            firstName: 'Adaeze',
            dateOfBirth: '1980-01-01',
            firstOrderId: 'EARLIER-ORDER',
          },
        ],
      ],
    ]);
    const { deps } = prescriptionDeps(pool);
    const event = await givenOrder(deps, [received(PATIENT_KEY)]);
    const pm = validationProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, 1)).toEqual([
      {
        type: 'PrescriptionValidationFailed',
        data: expect.objectContaining({
          issues: [
            {
              code: 'PATIENT_IDENTITY_MISMATCH',
              field: 'patient.dateOfBirth',
              message: "Date of birth differs from the patient's earlier record",
            },
          ],
        }),
      },
    ]);
    expect(statements.map((s) => s.sql)).not.toContainEqual(expect.stringContaining('INSERT'));
  });
});
