import { expect } from 'vitest';
import { type Decider, DomainError } from '../../src/domain/decider.js';

/** given(events).when(command).then(events) — a decider spec reads as the business rule it checks. */
export const deciderSpec = <State, Command, Event extends { type: string }>(
  decider: Decider<State, Command, Event>,
) => ({
  given: (history: readonly Event[]) => ({
    when: (command: Command) => {
      const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the spec's vocabulary; specs call it, never await it.
        then: (expected: readonly Event[]) => expect(run()).toEqual(expected),
        thenThrows: (code: string) => {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught, `expected DomainError ${code}`).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe(code);
        },
      };
    },
  }),
});
