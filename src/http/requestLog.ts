import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * One line per request, written when it has been answered: method, route template (ids only when
 * they are id-shaped), status and time taken. Fastify's own pair of lines ("incoming request",
 * "request completed") is switched off in favour of this one.
 */
export const registerRequestLog = (app: FastifyInstance, routeOf: (request: FastifyRequest) => string) => {
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime);
    request.log.info(
      { statusCode: reply.statusCode, ms },
      `${request.method} ${routeOf(request)} ${reply.statusCode} ${ms}ms`,
    );
  });
};

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** A pino JSON record as one short line for a person at a terminal: time, level, message, error. */
export const terminalLine = (json: string): string => {
  let record: { time?: number; level?: number; msg?: string; err?: { type?: string; message?: string } };
  try {
    record = JSON.parse(json);
  } catch {
    return json;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[record.level ?? 30] ?? 'INFO').padEnd(5);
  const error = record.err ? ` (${record.err.type ?? 'Error'}: ${record.err.message ?? ''})` : '';
  return `${time} ${level} ${record.msg ?? ''}${error}`;
};

/** Where `npm start` sends the platform's log: each JSON record rewritten as a terminal line. */
export const terminalLogStream = (out: NodeJS.WritableStream = process.stdout): Writable => {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) out.write(`${terminalLine(line)}\n`);
      done();
    },
  });
};
