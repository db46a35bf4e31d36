/** All time flows through a clock so tests can move it; production uses the wall clock. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests set and advance by hand. */
export const manualClock = (start: Date | string = '2026-01-01T00:00:00Z') => {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (at: Date | string) => {
      current = new Date(at).getTime();
    },
    advance: (ms: number) => {
      current += ms;
    },
  };
};
export type ManualClock = ReturnType<typeof manualClock>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
