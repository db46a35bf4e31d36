import {
  DRAFT_ABANDONABLE_AFTER_DAYS,
  DRAFT_FLAG_AFTER_DAYS,
  DRAFT_REMINDER_AFTER_DAYS,
} from '../../domain/consultation/decideIntake.js';
import { DAY } from '../../platform/clock.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';

type DraftTimer = { consultationId: string };

const TIMERS = [
  ['reminder', DRAFT_REMINDER_AFTER_DAYS],
  ['flag', DRAFT_FLAG_AFTER_DAYS],
  ['abandon', DRAFT_ABANDONABLE_AFTER_DAYS],
] as const;

/**
 * Drafts left alone: a reminder e-mail after a day, a flag for the team at 7 days, abandoned at 30.
 * Every save arms its own three timers; a timer that fires after the patient came back finds the
 * draft active again and does nothing (the decider judges from the last save, not the timer).
 */
export const draftsProcess = (deps: ConsultationProcessDeps): Reactor => {
  const onDraft = async (consultationId: string, days: number, now: Date) => {
    const state = await deps.commands.load(consultationId);
    if (state.status !== 'draft' || !state.lastActivityAt) return null;
    return Date.parse(state.lastActivityAt) + days * DAY <= now.getTime() ? state : null;
  };

  return reactor({
    name: 'consultation-drafts',
    handles: ['ConsultationStarted', 'AnswersSaved'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);
      const from = Date.parse(event.metadata.occurredAt);
      for (const [name, days] of TIMERS) {
        await context.schedule({
          name,
          key: event.id,
          dueAt: new Date(from + days * DAY),
          payload: { consultationId } satisfies DraftTimer,
        });
      }
    },
    timers: {
      async reminder(payload, context) {
        const { consultationId } = payload as DraftTimer;
        await deps.commands.execute(
          consultationId,
          { type: 'SendDraftReminder', now: context.clock.now().toISOString() },
          { actor: 'system:draft-timer', commandId: context.commandId('reminder') },
        );
      },
      async flag(payload, context) {
        const { consultationId } = payload as DraftTimer;
        await deps.commands.execute(
          consultationId,
          { type: 'FlagInactiveDraft', now: context.clock.now().toISOString() },
          { actor: 'system:draft-timer', commandId: context.commandId('flag') },
        );
      },
      async abandon(payload, context) {
        const { consultationId } = payload as DraftTimer;
        // Saved again since this timer was armed: a later timer will judge it.
        if (!(await onDraft(consultationId, DRAFT_ABANDONABLE_AFTER_DAYS, context.clock.now()))) return;
        await deps.commands.execute(
          consultationId,
          { type: 'AbandonDraft', now: context.clock.now().toISOString() },
          { actor: 'system:draft-timer', commandId: context.commandId('abandon') },
        );
      },
    },
  });
};
