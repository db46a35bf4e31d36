import { describe, expect, it } from 'vitest';
import { reviewQueueProcess } from '../../../src/processes/consultation/reviewQueue.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, NOW } from './harness.js';

const j = journey();

describe('the review queue process manager', () => {
  it('given a verified case with no earlier consultations, when the verification is handled, then it is queued for the prescribers unflagged', async () => {
    const world = consultationWorld();
    await world.given(j.verified);
    const verified = await world.last('IdentityVerified');

    await world.deliver(reviewQueueProcess(world.deps), verified);

    const appended = await world.appendedAfter(verified);
    expect(appended.map((e) => e.type)).toEqual(['ReviewQueued']);
    expect(appended[0]!.data).toEqual({ queue: 'prescriber', queuedAt: NOW });
    // Both read-model questions were asked about this patient and product, excluding this case.
    expect(world.queries.map((q) => q.params.slice(0, 3))).toEqual([
      ['patient-42', j.product.id, CONSULTATION_ID],
      ['patient-42', j.product.id, CONSULTATION_ID],
    ]);
  });

  it('given a verified case whose patient submitted different answers before, when it is handled, then it is queued flagged as a repeat submission', async () => {
    const world = consultationWorld({
      rows: (sql) =>
        sql.includes('lastSubmission')
          ? [
              {
                consultation_id: '01JQ0000000000000000000000',
                submitted_at: new Date('2026-02-01T10:00:00.000Z'),
                answers: { ...j.answers, weightKg: 120 },
              },
            ]
          : [],
    });
    await world.given(j.verified);
    const verified = await world.last('IdentityVerified');

    await world.deliver(reviewQueueProcess(world.deps), verified);

    expect((await world.appendedAfter(verified)).map((e) => e.type)).toContain('RepeatSubmissionFlagged');
  });

  it('given a case queued for review with immediate notifications, when it is handled, then the prescribers are e-mailed a link to it', async () => {
    const world = consultationWorld();
    await world.given(j.inReview);
    const queued = await world.last('ReviewQueued');
    const pm = reviewQueueProcess(world.deps);

    await world.deliver(pm, queued);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]).toMatchObject({
      to: 'prescribers@northfield.example',
      idempotencyKey: world.contextFor(pm, queued).idempotencyKey('email'),
    });
    expect(world.mails[0]!.text).toContain(`https://pharmacy.example/review/${CONSULTATION_ID}`);
  });

  it('given a case queued for review with digest notifications, when it is handled, then one digest is armed for the end of the window instead of an e-mail', async () => {
    const world = consultationWorld({ team: { reviewNotifications: 'digest', digestMinutes: 30 } });
    await world.given(j.inReview);

    await world.deliver(reviewQueueProcess(world.deps), await world.last('ReviewQueued'));

    const windowEnd = new Date('2026-03-05T09:30:00.000Z');
    expect(world.mails).toEqual([]);
    expect(world.scheduled).toEqual([
      {
        name: 'digest',
        key: `prescriber:${windowEnd.getTime()}`,
        dueAt: windowEnd,
        payload: { queue: 'prescriber' },
      },
    ]);
  });

  it('given two cases waiting in the pharmacists’ queue, when the digest timer fires, then one e-mail lists both', async () => {
    const world = consultationWorld({
      team: { reviewNotifications: 'digest' },
      rows: (sql) =>
        sql.includes('review_queue = $1')
          ? [
              {
                consultation_id: 'case-a',
                product_name: 'Vireza',
                repeat_flagged: true,
                overlap_flagged: false,
              },
              {
                consultation_id: 'case-b',
                product_name: 'Vireza',
                repeat_flagged: false,
                overlap_flagged: false,
              },
            ]
          : [],
    });
    const history = await world.given(j.inReview);
    const pm = reviewQueueProcess(world.deps);

    await pm.timers!.digest!({ queue: 'pharmacist' }, world.contextFor(pm, history.at(-1)!));

    expect(world.queries.map((q) => q.params)).toEqual([['pharmacist']]);
    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]!.to).toBe('pharmacists@northfield.example');
    expect(world.mails[0]!.text).toContain('case-a');
    expect(world.mails[0]!.text).toContain('case-b');
    expect(world.mails[0]!.text).toContain('REPEAT SUBMISSION');
  });
});
