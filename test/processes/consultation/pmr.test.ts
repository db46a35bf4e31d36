import { describe, expect, it } from 'vitest';
import { pmrProcess } from '../../../src/processes/consultation/pmr.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, patientRecorded } from './harness.js';

const j = journey();

describe('the PMR process manager', () => {
  it('given a prescribed supply entering the pharmacy queue, when it is handled, then the patient and order go to TitanPMR under the signed prescription and the sync is recorded', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    await world.givenAccount(patientRecorded);
    const entered = await world.last('PharmacyQueueEntered');
    const pm = pmrProcess(world.deps);

    await world.deliver(pm, entered);

    expect(world.calls).toHaveLength(1);
    expect(world.calls[0]).toMatchObject({
      port: 'pmr',
      method: 'pushPatientAndOrder',
      input: {
        idempotencyKey: world.contextFor(pm, entered).idempotencyKey('push'),
        patient: {
          patientRef: 'patient-42',
          firstName: 'Sam',
          lastName: 'Carter',
          dateOfBirth: '1985-04-12',
        },
        order: { reference: CONSULTATION_ID, prescriptionId: 'srx_rx_1001' },
      },
    });
    const appended = await world.appendedAfter(entered);
    expect(appended.map((e) => e.type)).toEqual(['PmrSynced']);
    expect(appended[0]!.data).toMatchObject({ pmrPatientId: 'titan-77', method: 'api' });
  });
});
