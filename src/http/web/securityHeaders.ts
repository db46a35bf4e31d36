import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A Host header worth echoing into a policy; anything else falls back to 'self' alone. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The policy for our pages: everything from our own origin, the live-updates websocket to it too
 * (spelled out, since older browsers do not count ws: as 'self'), nothing inline, no framing.
 */
export const contentSecurityPolicy = (host: string | undefined): string => {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
};

type HeaderTarget = { setHeader(name: string, value: string): unknown };

/** Set on every HTML response. No referrer: the enrollment page's URL carries the patient's token. */
export const setHtmlSecurityHeaders = (target: HeaderTarget, host: string | undefined): void => {
  target.setHeader('content-security-policy', contentSecurityPolicy(host));
  target.setHeader('x-content-type-options', 'nosniff');
  target.setHeader('referrer-policy', 'no-referrer');
  target.setHeader('x-frame-options', 'DENY');
};

export const htmlSecurityHeaders = (reply: FastifyReply): FastifyReply => {
  setHtmlSecurityHeaders(
    { setHeader: (name, value) => reply.header(name, value) },
    reply.request.headers.host,
  );
  return reply;
};

/**
 * What an API answer may do if a browser ever opens it as a page: nothing. No sources, no framing,
 * and `sandbox` gives it an opaque origin without scripts, so even markup inside a stored message
 * or an uploaded file cannot act with a staff member's session.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/** Our own PDFs (dispensing slip, label) open inline in the browser's viewer, which `sandbox` blocks. */
const OWN_PDF_POLICY =
  "default-src 'none'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** Answers a browser may show as they are: data for the app's own scripts, never a document. */
const DATA_TYPES = /^(?:application\/(?:[\w.+-]+\+)?json|application\/x-ndjson|text\/event-stream)\b/i;

const SERVER_PATH = /^\/(?:api|webhook)(?:[/?]|$)/;

const setIfAbsent = (reply: FastifyReply, name: string, value: string) => {
  if (!reply.hasHeader(name)) reply.header(name, value);
};

export type SecurityHeadersOptions = {
  /** Send Strict-Transport-Security (served over TLS, or behind a proxy that terminates it). */
  hsts?: boolean;
};

/**
 * One hook for every answer the server gives (API, webhooks, docs, the app, errors, 404s), so a
 * route added tomorrow carries the same headers without asking. API answers that are not JSON
 * (raw NCPDP messages, uploaded documents, exports) become attachments unless the route chose
 * otherwise, so the browser saves them instead of rendering them at our origin.
 */
export const registerSecurityHeaders = (app: FastifyInstance, options: SecurityHeadersOptions = {}) => {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    setIfAbsent(reply, 'x-content-type-options', 'nosniff');
    setIfAbsent(reply, 'referrer-policy', 'no-referrer');
    setIfAbsent(reply, 'x-frame-options', 'DENY');
    setIfAbsent(reply, 'cross-origin-opener-policy', 'same-origin');
    setIfAbsent(reply, 'cross-origin-resource-policy', 'same-origin');
    if (options.hsts || request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!SERVER_PATH.test(request.url)) return payload;

    const type = String(reply.getHeader('content-type') ?? '');
    const disposition = String(reply.getHeader('content-disposition') ?? '');
    const ownInlinePdf = /^application\/pdf\b/i.test(type) && /^inline\b/i.test(disposition);
    setIfAbsent(
      reply,
      'content-security-policy',
      ownInlinePdf ? OWN_PDF_POLICY : API_CONTENT_SECURITY_POLICY,
    );
    if (payload !== undefined && payload !== null && type !== '' && !DATA_TYPES.test(type) && !disposition)
      reply.header('content-disposition', 'attachment');
    return payload;
  });
};
