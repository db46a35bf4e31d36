import { formatDateTimeInZone } from './zone.js';

/**
 * Display helpers. Times arrive as UTC instants and are shown with their zone named: the pharmacy's
 * on staff pages (once its settings are loaded), the viewer's own elsewhere.
 */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatMoney = (minor: number | null | undefined) =>
  minor === null || minor === undefined ? '—' : money.format(minor / 100);

/**
 * An amount in the currency it came in (a payment may arrive in one the order did not ask for),
 * scaled by that currency's own minor unit: yen have none.
 */
export const formatAmount = (minor: number | null | undefined, currency: string | null | undefined) => {
  if (minor === null || minor === undefined) return '—';
  if (!currency || currency.toLowerCase() === 'usd') return formatMoney(minor);
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
    return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${minor} (${currency.toUpperCase()} minor units)`;
  }
};

export const formatDateTime = (iso: string | null | undefined) => {
  if (!iso) return '—';
  return formatDateTimeInZone(iso);
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

/** Initialisms a code spells in lower case that people write in capitals. */
const INITIALISMS = new Set([
  'gp',
  'pmr',
  'id',
  'sms',
  'pa',
  'ndc',
  'npi',
  'rems',
  'dea',
  'mrn',
  'nhs',
  'dob',
]);

/** Lower-case words to a sentence: first letter up, initialisms in capitals. */
const sentence = (words: string) => {
  const text = words
    .split(' ')
    .map((word) => (INITIALISMS.has(word) ? word.toUpperCase() : word))
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** `awaiting_id_verification` → `Awaiting ID verification`. */
export const statusLabel = (status: string) => sentence(status.replaceAll('_', ' '));

/** `GpLetterSent` → `GP letter sent`. */
export const eventLabel = (type: string) => sentence(type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());

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
