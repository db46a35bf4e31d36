import type { FastifyReply } from 'fastify';

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
