/**
 * The whole domain model in one shape: a decider turns a command and the current state into
 * events, and folds events into state. Pure: time, ids and prices arrive inside the command.
 */
export type Decider<State, Command, Event extends { type: string }> = {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
};

/**
 * Why a business rule refused: the kind is what a caller can act on (the HTTP edge maps it to a
 * status), the code names the rule for clients and tests.
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'gone' | 'forbidden' | 'invalid';

/** A business rule refused the command; maps to a 4xx answer by its kind, never retried. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
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
