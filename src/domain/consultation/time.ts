/** Calendar arithmetic on UTC ISO instants; the clock itself is always passed in. */

const DAY_MS = 86_400_000;

/**
 * The same wall-clock instant `months` later. A day the target month lacks is clamped to its last
 * day (31 Jan + 1 month = 28/29 Feb), so a plan never silently spills into the month after.
 */
export const addMonths = (iso: string, months: number): string => {
  const from = new Date(iso);
  const monthIndex = from.getUTCMonth() + months;
  const year = from.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(from.getUTCDate(), lastDay),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  ).toISOString();
};

export const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(iso) + days * DAY_MS).toISOString();

export const isAtOrAfter = (iso: string, reference: string): boolean =>
  Date.parse(iso) >= Date.parse(reference);

/** A calendar date as questionnaires store it: `YYYY-MM-DD`, and a real day of that month. */
export const isCalendarDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
};

/**
 * Whole years between a date of birth and `now`. Someone born on 29 February comes of age on
 * 1 March in a common year, as UK law counts it.
 */
export const ageInYears = (dateOfBirth: string, now: string): number => {
  const [year = 0, month = 0, day = 0] = dateOfBirth.split('-').map(Number);
  const at = new Date(now);
  const age = at.getUTCFullYear() - year;
  const monthNow = at.getUTCMonth() + 1;
  const birthdayPassed = monthNow > month || (monthNow === month && at.getUTCDate() >= day);
  return birthdayPassed ? age : age - 1;
};
