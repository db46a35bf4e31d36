import { AsyncLocalStorage } from 'node:async_hooks';
import { type BaseLogger, type Bindings, type ChildLoggerOptions, pino } from 'pino';
import { safeError } from './safeError.js';

/**
 * The process's one logger: pino, JSON lines, one record per line. Everything logs through it or a
 * child of it (an HTTP request's, a process manager delivery's), so one order can be followed by
 * its `correlationId` from the request that started it through every process and vendor call.
 * Field names are fixed (docs/ARCHITECTURE.md, "Logs"); records carry ids, never event data.
 */
export interface Logger
  extends Pick<BaseLogger, 'level' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'> {
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger;
}

/**
 * A safety net behind the rule that log calls pass ids, never people: any of these keys in a logged
 * object is replaced, at the top level or one level down.
 */
const PHI_KEYS = [
  'password',
  'token',
  'email',
  'patient',
  'patientName',
  'firstName',
  'lastName',
  'dateOfBirth',
  'phone',
  'address',
  'identifiers',
  'mrn',
  'nhsNumber',
  'authorization',
  'cookie',
  'x-api-key',
  'detail',
  'where',
  'parameters',
  'data',
];
const REDACTED_LOG_PATHS = PHI_KEYS.flatMap((key) => {
  const member = /^[A-Za-z_]\w*$/.test(key) ? key : `["${key}"]`;
  return [member, `*.${member}`.replace('.[', '[')];
});

export const createLogger = (options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger =>
  pino(
    {
      level: options.level ?? 'info',
      serializers: {
        // Whatever logs an error gets it without database context (see safeError).
        err: (error) =>
          safeError(error) as ReturnType<typeof safeError> & { type: string; message: string; stack: string },
      },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );

/** Writes nothing: the default where a caller (most tests) gives no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });

const scope = new AsyncLocalStorage<Logger>();

/**
 * Runs `work` with `logger` as the logger of whatever it calls. Used where passing a logger down
 * would mean widening every port: a process manager's vendor calls log under its delivery's child.
 */
export const withLogger = <T>(logger: Logger, work: () => T): T => scope.run(logger, work);

/** Runs `work` outside any `withLogger`: for work that outlives or is shared beyond its caller. */
export const outsideAnyLogger = <T>(work: () => T): T => scope.exit(work);

/** The logger of the work in progress (see `withLogger`), or `fallback` outside any. */
export const currentLogger = (fallback: Logger): Logger => scope.getStore() ?? fallback;
