import { describe, expect, it } from 'vitest';
import { patientEmailsProcess } from '../../../src/processes/consultation/patientEmails.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { consultationWorld, patientRecorded } from './harness.js';

const j = journey();

describe('the patient e-mails process manager', () => {
  it('given a patient who just started a consultation, when it is handled, then they are e-mailed a link to carry on', async () => {
    const world = consultationWorld();
    await world.given(j.draft.slice(0, 1));
    await world.givenAccount(patientRecorded);
    const started = await world.last('ConsultationStarted');
    const pm = patientEmailsProcess(world.deps);

    await world.deliver(pm, started);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]).toMatchObject({
      to: 'sam@example.com',
      idempotencyKey: world.contextFor(pm, started).idempotencyKey('email'),
    });
    expect(world.mails[0]!.text).toContain('https://pharmacy.example/');
  });

  it('given an order dispatched, when it is handled, then the patient is e-mailed its tracking number', async () => {
    const world = consultationWorld();
    await world.given(j.dispatched);
    await world.givenAccount(patientRecorded);

    await world.deliver(patientEmailsProcess(world.deps), await world.last('OrderDispatched'));

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]!.to).toBe('sam@example.com');
    expect(world.mails[0]!.text).toContain('RM123456785GB');
  });

  it('given no patient details on the account, when an event is handled, then nothing is sent', async () => {
    const world = consultationWorld();
    await world.given(j.draft.slice(0, 1));

    await world.deliver(patientEmailsProcess(world.deps), await world.last('ConsultationStarted'));

    expect(world.mails).toEqual([]);
  });
});
