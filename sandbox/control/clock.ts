import { type Clock, systemClock } from '../../src/platform/clock.js';

/** A clock the sandbox can move forward, as Stripe's test clocks do; it never goes back. */
export type SandboxClock = Clock & {
  advance(ms: number): void;
  /** How far ahead of the underlying clock platform time runs. */
  offsetMs(): number;
};

/**
 * The wall clock plus an offset that only grows: `npm start` runs on it so a tester can skip
 * ahead to a timer, an instalment or a link's expiry while time still passes normally.
 */
export const offsetClock = (base: Clock = systemClock): SandboxClock => {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The sandbox clock only moves forward');
      offset += ms;
    },
    offsetMs: () => offset,
  };
};
