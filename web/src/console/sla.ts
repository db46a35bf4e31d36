/** The console's service level: how long an order may sit in one status before it needs a look. */
export const DEFAULT_SLA_HOURS = 24;
export const SLA_STORAGE_KEY = 'pharmacy.console.slaHours';

/** Finished orders do not wait on anyone. */
const SETTLED = new Set(['completed', 'cancelled']);

export const isOverSla = (order: { status: string; statusSince: string }, nowMs: number, slaHours: number) =>
  !SETTLED.has(order.status) && nowMs - Date.parse(order.statusSince) > slaHours * 3_600_000;

/** A stored value that is not a positive number falls back to the default. */
export const parseSlaHours = (stored: string | null) => {
  const hours = Number(stored);
  return stored !== null && stored.trim() !== '' && Number.isFinite(hours) && hours > 0
    ? hours
    : DEFAULT_SLA_HOURS;
};
