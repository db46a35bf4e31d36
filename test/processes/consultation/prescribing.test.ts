import { describe, expect, it } from 'vitest';
import { prescribingProcess } from '../../../src/processes/consultation/prescribing.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, patientRecorded, prescriberRecorded } from './harness.js';

const j = journey();

describe('the prescribing process manager', () => {
  it('given a POM treatment approved on a 3-month plan, when the approval is handled, then one SignatureRx prescription covers the plan and its creation is recorded', async () => {
    const world = consultationWorld();
    await world.given(j.approved);
    await world.givenAccount(patientRecorded, prescriberRecorded);
    const approved = await world.last('TreatmentApproved');
    const pm = prescribingProcess(world.deps);

    await world.deliver(pm, approved);

    expect(world.calls.map((c) => `${c.port}.${c.method}`)).toEqual(['prescribing.createPrescription']);
    expect(world.calls[0]!.input).toMatchObject({
      idempotencyKey: world.contextFor(pm, approved).idempotencyKey('create'),
      consultationRef: CONSULTATION_ID,
      patient: { name: 'Sam Carter', dob: '1985-04-12' },
      prescriber: { id: 'dr-patel', name: 'Dr Anita Patel', gphcOrGmcNumber: '7654321' },
      coversMonths: 3,
    });
    const appended = await world.appendedAfter(approved);
    expect(appended.map((e) => e.type)).toEqual(['PrescriptionCreated']);
    expect(appended[0]!.data).toMatchObject({ prescriptionId: 'srx_rx_1001' });
    expect((await world.commands.account(CONSULTATION_ID)).signingLinks).toEqual({
      srx_rx_1001: 'https://srx.example/s/1',
    });
  });

  it('given an unsigned prescription, when the consultation is cancelled, then the prescription is withdrawn at SignatureRx', async () => {
    const world = consultationWorld();
    await world.given([
      ...j.rxCreated,
      {
        type: 'ConsultationCancelled',
        data: {
          staffId: 'ph-jones',
          reason: 'Patient asked',
          fromStatus: 'approved',
          cancelledAt: '2026-03-03T10:30:00.000Z',
        },
      },
    ]);
    const cancelled = await world.last('ConsultationCancelled');
    const pm = prescribingProcess(world.deps);

    await world.deliver(pm, cancelled);

    expect(world.calls).toEqual([
      {
        port: 'prescribing',
        method: 'cancelPrescription',
        input: {
          idempotencyKey: world.contextFor(pm, cancelled).idempotencyKey('cancel'),
          prescriptionId: 'srx_rx_1001',
          reason: 'Consultation cancelled',
        },
      },
    ]);
  });
});
