import { describe, expect, it } from 'vitest';
import { gpLetterProcess } from '../../../src/processes/consultation/gpLetter.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, patientRecorded, prescriberRecorded } from './harness.js';

const j = journey();

describe('the GP letter process manager', () => {
  it('given a prescribed treatment and the patient’s consent, when the GP letter request is handled, then a PDF letter is stored, sent through the GP mailbox and recorded as sent', async () => {
    const world = consultationWorld();
    const history = await world.given(j.prescribed);
    await world.givenAccount(patientRecorded, prescriberRecorded);
    const requested = await world.last('GpLetterRequested');
    const pm = gpLetterProcess(world.deps);

    await world.deliver(pm, requested);

    const letterId = `consultations/${CONSULTATION_ID}/gp-letter-${requested.id}.pdf`;
    expect(world.stored.get(letterId)?.contentType).toBe('application/pdf');
    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]).toMatchObject({
      to: 'gp-letters@nhs.example',
      subject: 'Patient treatment notification for Riverside Surgery',
      idempotencyKey: world.contextFor(pm, requested).idempotencyKey('email'),
    });
    expect(world.mails[0]!.attachments?.[0]?.content.subarray(0, 4).toString()).toBe('%PDF');
    const appended = await world.appendedAfter(history.at(-1)!);
    expect(appended.map((e) => e.type)).toEqual(['GpLetterSent']);
    expect(appended[0]!.data).toMatchObject({ letterId });
  });

  it('given a patient who did not consent, when the GP letter request is handled, then no letter is written or sent', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    await world.givenAccount(
      {
        type: 'PatientDetailsRecorded',
        data: { ...patientRecorded.data, gpConsent: { given: false, recordedAt: j.authorisedAt } },
      } as typeof patientRecorded,
      prescriberRecorded,
    );

    await expect(
      world.deliver(gpLetterProcess(world.deps), await world.last('GpLetterRequested')),
    ).rejects.toThrow(/not consented/);
    expect(world.mails).toEqual([]);
    expect(world.stored.size).toBe(0);
  });
});
