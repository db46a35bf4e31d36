import {
  type ConsultationState,
  evolve,
  initialState,
} from '../../../src/domain/consultation/consultationState.js';
import { applyToOrderView, type OrderView } from '../../../src/projections/orders/orderView.js';

/** The parts of a recorded event the fold reads. */
export type ReplayEvent = { type: string; data: unknown; metadata: { occurredAt: string; actor: string } };

/**
 * The order as it stood after each event: `states[i]` folds events 0…i with the same pure function
 * the platform's projection uses, so the replay shows exactly what the read model held then.
 */
export const replayStates = (events: readonly ReplayEvent[]): (OrderView | null)[] => {
  const states: (OrderView | null)[] = [];
  let view: OrderView | null = null;
  for (const event of events) {
    view = applyToOrderView(view, event);
    states.push(view);
  }
  return states;
};

/** Top-level fields an event changed (`updatedAt` moves with every event, so it is left out). */
export const changedFields = (before: OrderView | null, after: OrderView | null): string[] => {
  if (!after) return [];
  const previous = (before ?? {}) as Record<string, unknown>;
  return Object.entries(after)
    .filter(([key, value]) => key !== 'updatedAt' && JSON.stringify(previous[key]) !== JSON.stringify(value))
    .map(([key]) => key);
};

/** `datetime-local` input value (the viewer's zone) → a UTC instant for the API. */
export const localInputToIso = (value: string) => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/** A consultation's event as the history route returns it: `stream` says whether it is the account's. */
export type ConsultationReplayEvent = { type: string; stream: string; data: unknown };

/**
 * The consultation's decider state after each event, folded with the decider's own `evolve`, so the
 * replay shows what the clinical record held then. Account events (payments, refunds, links) leave
 * the decider's state as it was: they appear in the replay as facts beside it.
 */
export const replayConsultationStates = (events: readonly ConsultationReplayEvent[]): ConsultationState[] => {
  const states: ConsultationState[] = [];
  let state = initialState();
  for (const event of events) {
    if (event.stream.startsWith('consultation-')) state = evolve(state, event);
    states.push(state);
  }
  return states;
};

/** Top-level fields of the decider state an event changed. */
export const changedStateFields = (before: ConsultationState | null, after: ConsultationState): string[] => {
  const previous = (before ?? initialState()) as Record<string, unknown>;
  return Object.entries(after)
    .filter(([key, value]) => JSON.stringify(previous[key]) !== JSON.stringify(value))
    .map(([key]) => key);
};
