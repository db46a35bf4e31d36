import { createHash, createHmac, randomBytes } from 'node:crypto';
import { issueLinkToken, judgeLinkToken, type LinkTokenCheck } from '../patientLinkToken.js';

/**
 * Enrollment links. The token is 256 bits of HMAC-SHA256 over a random 128-bit link id under the
 * server's link secret; only the token's SHA-256 hash is stored. The mail process re-derives the
 * token from the link id to send (and retry) the e-mail, so the token itself is never written down.
 */
export const newLinkId = () => randomBytes(16).toString('base64url');

export const enrollmentToken = (secret: string, linkId: string) =>
  createHmac('sha256', secret).update(`enrollment:${linkId}`).digest('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A signed, read-only key to one order's status page, sent to the patient with later e-mails. */
export const patientStatusToken = (secret: string, orderId: string, issuedAt: Date) =>
  issueLinkToken(secret, 'status', orderId, issuedAt);

export const judgePatientStatusToken = (
  secret: string,
  orderId: string,
  token: unknown,
  check: LinkTokenCheck,
) => judgeLinkToken(secret, 'status', orderId, token, check);

/** Tokens are URL-safe base64 of 32 bytes: anything else is refused before touching the database. */
export const looksLikeToken = (token: unknown): token is string =>
  typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
