/**
 * The whole domain model in one shape: a decider turns a command and the current state into
 * events, and folds events into state. Pure: time, ids and prices arrive inside the command.
 */
export type Decider<State, Command, Event extends { type: string }> = {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
};

/** A business rule refused the command; maps to a 4xx answer, never retried. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fold = <State, Event extends { type: string }>(
  decider: Pick<Decider<State, unknown, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());
