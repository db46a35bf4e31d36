import { Writable } from 'node:stream';

/**
 * Everything the platform writes to its log during a test, as the JSON lines it wrote: requests,
 * process managers, vendor calls, subscriptions, timers and, when the test runs its own PostgreSQL
 * with LOG_LEVEL=debug, the database server's log.
 */
export const logCapture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return {
    lines,
    stream,
    /** Each line as the record it holds. */
    records: () => lines.map((line) => JSON.parse(line) as LogRecord),
    /** Lines written since `mark()` returned `from`. */
    since: (from: number) => lines.slice(from),
    mark: () => lines.length,
  };
};

export type LogCapture = ReturnType<typeof logCapture>;

/** The fields a platform log record may carry (docs/ARCHITECTURE.md, "Logs"). */
export type LogRecord = {
  level: number;
  msg: string;
  correlationId?: string;
  causationId?: string;
  processManager?: string;
  eventId?: string;
  eventType?: string;
  stream?: string;
  subscription?: string;
  vendor?: string;
  operation?: string;
  outcome?: string;
  ms?: number;
};

/**
 * The patient data of the test fixtures as it could appear in a log: as sent, case-folded, and as
 * JSON would escape it. Returns each line that holds any, with what it held.
 */
export const phiFoundIn = (lines: readonly string[], values: readonly string[]) => {
  const needles = values.filter((v) => v.length >= 4).map((v) => v.toLowerCase());
  const found: { value: string; line: string }[] = [];
  for (const line of lines) {
    const folded = line.toLowerCase();
    for (const needle of needles) {
      if (folded.includes(needle)) found.push({ value: needle, line: line.slice(0, 400) });
    }
  }
  return found;
};

/** The patient in `newrx-specialty-valid.xml`, every way a log could carry them. */
export const FIXTURE_PATIENT_PHI = [
  'Okafor',
  'Adaeze',
  '1979-03-14',
  '19790314',
  'adaeze.okafor@example.org',
  '6145550142',
  '614-555-0142',
  'MRN-0042117',
  '0042117',
  '418 Larch Street',
];
