import { gracePeriodEndsAt } from '../../domain/consultation/plan.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

type PlanTimer = { consultationId: string };

/**
 * Phase 13: a plan ends when its time is up and its last month has arrived (timer at the end, and
 * again on each delivery); its answers stay usable for the grace period, after which a timer clears
 * them and a fresh consultation is required. The 12-month limit is judged at the plan's end.
 */
export const planLifecycleProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-plan-lifecycle',
    handles: ['PlanStarted', 'SupplyDelivered', 'PlanCompleted', 'RemainingInstalmentsCancelled'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const consultationId = consultationIdOf(recorded);
      const event = recorded;
      const payload = { consultationId } satisfies PlanTimer;
      switch (event.type) {
        case 'PlanStarted':
          await context.schedule({
            name: 'plan-end',
            key: recorded.id,
            dueAt: new Date(event.data.endsAt),
            payload,
          });
          return;
        case 'SupplyDelivered':
          // The last month delivered after the plan's end: it completes now, not at a timer long gone.
          await commandFrom(deps, recorded, context, 'system:plan', {
            type: 'CompletePlan',
            now: context.clock.now().toISOString(),
          });
          return;
        case 'PlanCompleted':
          await context.schedule({
            name: 'grace-end',
            key: recorded.id,
            dueAt: new Date(event.data.graceEndsAt),
            payload,
          });
          return;
        case 'RemainingInstalmentsCancelled': {
          const state = await deps.commands.load(consultationId);
          if (!state.plan || !state.product) return;
          const graceEndsAt = gracePeriodEndsAt(state.plan, event.data.planEndsAt, state.product);
          await context.schedule({
            name: 'grace-end',
            key: recorded.id,
            dueAt: new Date(graceEndsAt),
            payload,
          });
          return;
        }
      }
    },
    timers: {
      async 'plan-end'(payload, context) {
        const { consultationId } = payload as PlanTimer;
        await deps.commands.execute(
          consultationId,
          { type: 'CompletePlan', now: context.clock.now().toISOString() },
          { actor: 'system:plan-timer', commandId: context.commandId('complete') },
        );
      },
      async 'grace-end'(payload, context) {
        const { consultationId } = payload as PlanTimer;
        await deps.commands.execute(
          consultationId,
          { type: 'ExpireAnswers', now: context.clock.now().toISOString() },
          { actor: 'system:plan-timer', commandId: context.commandId('expire') },
        );
      },
    },
  });
