import { describe, expect, it } from 'vitest';
import { planLifecycleProcess } from '../../../src/processes/consultation/planLifecycle.js';
import { journey, ONE_OFF } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld } from './harness.js';

const j = journey();
const oneOff = journey({ plan: ONE_OFF });

describe('the plan lifecycle process manager', () => {
  it('given a plan just started, when it is handled, then the plan-end timer is armed for the day the plan ends', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    const started = await world.last('PlanStarted');

    await world.deliver(planLifecycleProcess(world.deps), started);

    expect(world.scheduled).toEqual([
      {
        name: 'plan-end',
        key: started.id,
        dueAt: new Date(j.planEndsAt),
        payload: { consultationId: CONSULTATION_ID },
      },
    ]);
  });

  it('given a one-off supply delivered after its plan’s end, when the delivery is handled, then the plan completes', async () => {
    const world = consultationWorld();
    world.clock.set('2026-04-10T09:00:00.000Z');
    const history = await world.given(oneOff.delivered);

    await world.deliver(planLifecycleProcess(world.deps), await world.last('SupplyDelivered'));

    expect((await world.appendedAfter(history.at(-1)!)).map((e) => e.type)).toContain('PlanCompleted');
  });

  it('given a plan completed, when it is handled, then the grace-end timer is armed for when its answers expire', async () => {
    const world = consultationWorld();
    world.clock.set('2026-04-10T09:00:00.000Z');
    await world.given(oneOff.delivered);
    const pm = planLifecycleProcess(world.deps);
    await world.deliver(pm, await world.last('SupplyDelivered'));
    const completed = await world.last('PlanCompleted');
    world.scheduled.length = 0;

    await world.deliver(pm, completed);

    expect(world.scheduled).toEqual([
      {
        name: 'grace-end',
        key: completed.id,
        dueAt: new Date((completed.data as { graceEndsAt: string }).graceEndsAt),
        payload: { consultationId: CONSULTATION_ID },
      },
    ]);
  });

  it('given a plan whose time is up and last month delivered, when the plan-end timer fires, then the plan completes', async () => {
    const world = consultationWorld();
    const history = await world.given(oneOff.delivered);
    const pm = planLifecycleProcess(world.deps);
    world.clock.set(new Date(Date.parse(oneOff.planEndsAt) + 1));

    await pm.timers!['plan-end']!({ consultationId: CONSULTATION_ID }, world.contextFor(pm, history.at(-1)!));

    expect((await world.appendedAfter(history.at(-1)!)).map((e) => e.type)).toContain('PlanCompleted');
  });
});
