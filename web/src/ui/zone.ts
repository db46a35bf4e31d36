/**
 * Patients' pages show times in the browser's zone, the patient's own (PatientPage sets it).
 * Staff pages show times in the pharmacy's time zone, named beside each time ("3:00 PM EST"), so a
 * desk working remotely reads the same clock as the pharmacy. The zone comes from the server's
 * settings; until they arrive (or if they name a zone this browser does not know) the browser's own
 * zone is used, still named.
 */
let zone: string | undefined;

const formats = new Map<string, Intl.DateTimeFormat>();
const formatter = (kind: 'dateTime' | 'time') => {
  const key = `${kind}:${zone ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      ...(kind === 'dateTime' ? { dateStyle: 'medium' } : {}),
      timeStyle: 'short',
      timeZone: zone,
    });
    // timeStyle cannot be combined with timeZoneName: add the zone's short name by hand.
    formats.set(key, format);
  }
  return format;
};

const zoneName = (date: Date) =>
  new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value ?? '';

export const setDisplayTimeZone = (next: string | null | undefined) => {
  if (!next) return;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: next });
    zone = next;
  } catch {
    zone = undefined;
  }
};

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export const displayTimeZone = () => zone ?? browserTimeZone();

const parse = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** "4 Dec 2026, 15:00 GMT" in the pharmacy's zone. */
export const formatDateTimeInZone = (iso: string) => {
  const date = parse(iso);
  return date ? `${formatter('dateTime').format(date)} ${zoneName(date)}`.trim() : iso;
};

/** "15:00" in the pharmacy's zone (chart labels; the zone is named in the chart's caption). */
export const formatTime = (iso: string) => {
  const date = parse(iso);
  return date ? formatter('time').format(date) : iso;
};
