import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem } from './auth/problem.js';

/** No JSON string, query value or path segment is longer: free text fields stop at a few thousand. */
export const MAX_STRING_LENGTH = 100_000;
/** Deeper than any request body the API defines, shallow enough that walking it is cheap. */
export const MAX_DEPTH = 32;

/**
 * Characters no request has a reason to carry: C0 controls except tab, line feed and carriage return
 * (NUL among them, which PostgreSQL cannot store in text or jsonb), DEL, C1 controls, the
 * bidirectional overrides that make text display as something else, non-characters, and surrogate
 * halves without their pair.
 */
/** C0 controls but tab, line feed and carriage return (spelled as a string: a regex literal with them reads badly). */
const C0_CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F';
const FORBIDDEN = new RegExp(
  `[${C0_CONTROLS}\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
);

export type InputIssue = { path: string; message: string };

const codePoint = (text: string) => {
  const match = FORBIDDEN.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
};

/** Why a single string may not pass, or null. Never quotes the string: it may be patient data. */
export const stringIssue = (text: string, maxLength = MAX_STRING_LENGTH): string | null => {
  const bad = codePoint(text);
  if (bad) return `contains a control or invisible formatting character (${bad})`;
  if (text.length > maxLength) return `is longer than ${maxLength} characters`;
  return null;
};

/**
 * Walks a parsed value, refusing what `stringIssue` refuses in keys and values, and (when `normalise`)
 * rewrites every string to Unicode NFC in place, so `é` typed as one character or as `e` plus an
 * accent is stored, compared and searched as the same text.
 */
export const inspectValue = (
  value: unknown,
  path: string,
  options: { normalise: boolean },
  depth = 0,
): InputIssue | null => {
  if (depth > MAX_DEPTH) return { path, message: `is nested deeper than ${MAX_DEPTH} levels` };
  if (typeof value === 'string') {
    const message = stringIssue(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const issue = inspectValue(value[index], `${path}.${index}`, options, depth + 1);
      if (issue) return issue;
      if (options.normalise && typeof value[index] === 'string') value[index] = value[index].normalize('NFC');
    }
    return null;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const keyProblem = stringIssue(key, 1_000);
      if (keyProblem) return { path: `${path}.[key]`, message: keyProblem };
      const issue = inspectValue(record[key], `${path}.${key}`, options, depth + 1);
      if (issue) return issue;
      if (options.normalise && typeof record[key] === 'string') record[key] = record[key].normalize('NFC');
    }
  }
  return null;
};

/** Signed vendor payloads are checked but never rewritten: their signature covers the bytes as sent. */
const isWebhook = (request: FastifyRequest) => request.url.startsWith('/webhook/');

const firstIssue = (request: FastifyRequest): InputIssue | null => {
  const normalise = !isWebhook(request);
  const params = inspectValue(request.params, 'path', { normalise });
  if (params) return params;
  const query = inspectValue(request.query, 'query', { normalise });
  if (query) return query;
  const { body } = request;
  // Raw text bodies (an NCPDP message, a signed webhook) are judged as sent; binary uploads are files.
  if (typeof body === 'string') {
    const message = codePoint(body);
    return message ? { path: 'body', message: `contains a control character (${message})` } : null;
  }
  return inspectValue(body, 'body', { normalise });
};

/**
 * The one input boundary: every route's path parameters, query and body pass through it before
 * any handler runs, so a route added tomorrow cannot forget it. A refusal is a 400 that names where
 * the problem is, never what was sent, and happens before anything is written.
 */
export const registerInputBoundary = (app: FastifyInstance) => {
  app.addHook('preValidation', async (request, reply) => {
    const issue = firstIssue(request);
    if (!issue) return;
    return problem(
      reply,
      400,
      'Invalid characters in the request',
      `The request ${issue.path} ${issue.message}.`,
      {
        errors: [issue],
      },
    );
  });
};
