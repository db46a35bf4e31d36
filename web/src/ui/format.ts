/** Display helpers. Times arrive as UTC instants and are shown in the viewer's own zone. */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatMoney = (minor: number | null | undefined) =>
  minor === null || minor === undefined ? '—' : money.format(minor / 100);

export const formatDateTime = (iso: string | null | undefined) => {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 3 h", "5 h 12 min", "8 min", "under a minute": precise enough to spot a stuck order. */
export const formatDuration = (ms: number) => {
  if (ms < MINUTE) return 'under a minute';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ${Math.floor((ms % HOUR) / MINUTE)} min`;
  return `${Math.floor(ms / DAY)} d ${Math.floor((ms % DAY) / HOUR)} h`;
};

/** `awaiting_pharmacy_selection` → `Awaiting pharmacy selection`. */
export const statusLabel = (status: string) => {
  const words = status.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** `InsuranceCardUploaded` → `Insurance card uploaded`. */
export const eventLabel = (type: string) => {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** `staff:01J…` → `staff 01J…`; the actor string is shown as recorded, only made readable. */
export const actorLabel = (actor: string) => actor.replace(':', ' · ');

/** Links that came from a vendor (payment page, tracking, label) are followed only if they are web addresses. */
export const webLink = (url: string | null | undefined) => {
  if (!url) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
};
