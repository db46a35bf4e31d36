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
