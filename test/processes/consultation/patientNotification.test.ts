import { describe, expect, it } from 'vitest';
import { patientNotificationProcess } from '../../../src/processes/consultation/patientNotification.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { consultationWorld, patientRecorded } from './harness.js';

const j = journey();

describe('the patient notification process manager', () => {
  it('given a treatment approved and prescribed, when the approval notification is handled, then the patient is e-mailed that it was approved', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    await world.givenAccount(patientRecorded);
    const requested = await world.last('PatientNotificationRequested');
    const pm = patientNotificationProcess(world.deps);

    await world.deliver(pm, requested);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]).toMatchObject({
      to: 'sam@example.com',
      idempotencyKey: world.contextFor(pm, requested).idempotencyKey('email'),
    });
    expect(world.mails[0]!.text).toMatch(/approved/i);
  });
});
