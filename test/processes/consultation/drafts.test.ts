import { describe, expect, it } from 'vitest';
import { draftsProcess } from '../../../src/processes/consultation/drafts.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld } from './harness.js';

const j = journey();

describe('the drafts process manager', () => {
  it('given a consultation just started, when it is handled, then a reminder, a flag and an abandonment are armed from that moment', async () => {
    const world = consultationWorld();
    await world.given(j.draft.slice(0, 1), '2026-03-02T09:00:00.000Z');
    const started = await world.last('ConsultationStarted');

    await world.deliver(draftsProcess(world.deps), started);

    expect(world.scheduled).toEqual([
      {
        name: 'reminder',
        key: started.id,
        dueAt: new Date('2026-03-03T09:00:00.000Z'),
        payload: { consultationId: CONSULTATION_ID },
      },
      {
        name: 'flag',
        key: started.id,
        dueAt: new Date('2026-03-09T09:00:00.000Z'),
        payload: { consultationId: CONSULTATION_ID },
      },
      {
        name: 'abandon',
        key: started.id,
        dueAt: new Date('2026-04-01T09:00:00.000Z'),
        payload: { consultationId: CONSULTATION_ID },
      },
    ]);
  });

  it('given a draft left alone for a day, when the reminder timer fires, then a draft reminder is recorded', async () => {
    const world = consultationWorld();
    const history = await world.given(j.draft);
    const pm = draftsProcess(world.deps);
    world.clock.set(new Date('2026-03-03T09:00:00.000Z'));

    await pm.timers!.reminder!({ consultationId: CONSULTATION_ID }, world.contextFor(pm, history[0]!));

    expect((await world.appendedAfter(history.at(-1)!)).map((e) => e.type)).toEqual(['DraftReminderSent']);
  });
});
