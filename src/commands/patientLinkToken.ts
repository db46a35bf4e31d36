import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A patient's key to one order's status page or one consultation, sent in a link's fragment: the
 * moment it was issued, and an HMAC under the server's link secret of the subject and that moment.
 * Nothing is stored per link, yet each link has an age (so it expires) and a place in time (so
 * revoking every link of a subject issued before now is one recorded instant).
 */
const TOKEN = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

const mac = (secret: string, purpose: string, subjectId: string, issuedAtMs: number) =>
  createHmac('sha256', secret).update(`${purpose}:${subjectId}:${issuedAtMs}`).digest('base64url');

export const issueLinkToken = (
  secret: string,
  purpose: string,
  subjectId: string,
  issuedAt: Date,
): string => {
  const ms = issuedAt.getTime();
  return `${ms.toString(36)}.${mac(secret, purpose, subjectId, ms)}`;
};

export type LinkTokenCheck = {
  now: Date;
  /** How long a link works after it was issued. */
  ttlMs: number;
  /** Links issued at or before this instant were revoked. */
  revokedBefore: Date | null;
};

export type LinkTokenVerdict = 'valid' | 'invalid' | 'expired' | 'revoked';

/** Judges a presented token; a forged, malformed or future one is simply invalid. */
export const judgeLinkToken = (
  secret: string,
  purpose: string,
  subjectId: string,
  token: unknown,
  check: LinkTokenCheck,
): LinkTokenVerdict => {
  const match = typeof token === 'string' ? TOKEN.exec(token) : null;
  if (!match) return 'invalid';
  const issuedAtMs = Number.parseInt(match[1]!, 36);
  const expected = Buffer.from(mac(secret, purpose, subjectId, issuedAtMs));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  // A minute's grace for clocks between servers; anything further ahead was not made by us.
  if (issuedAtMs > check.now.getTime() + 60_000) return 'invalid';
  if (check.revokedBefore && issuedAtMs <= check.revokedBefore.getTime()) return 'revoked';
  if (issuedAtMs + check.ttlMs <= check.now.getTime()) return 'expired';
  return 'valid';
};

/** The shape of a link token, to refuse anything else before any work is done. */
export const looksLikeLinkToken = (token: unknown): token is string =>
  typeof token === 'string' && TOKEN.test(token);
