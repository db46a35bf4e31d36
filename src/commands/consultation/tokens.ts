import { createHmac } from 'node:crypto';
import { issueLinkToken, judgeLinkToken, type LinkTokenCheck } from '../patientLinkToken.js';

/**
 * A patient has no account: each consultation has its own signed key, returned when it starts and
 * e-mailed with every message. It carries the moment it was issued under an HMAC of the
 * consultation id and that moment (see patientLinkToken.ts): a guessed id opens nothing, an old key
 * expires, and every key issued before a revocation stops working.
 */
export const consultationToken = (secret: string, consultationId: string, issuedAt: Date) =>
  issueLinkToken(secret, 'consultation', consultationId, issuedAt);

export const judgeConsultationToken = (
  secret: string,
  consultationId: string,
  token: unknown,
  check: LinkTokenCheck,
) => judgeLinkToken(secret, 'consultation', consultationId, token, check);

/** One spelling of an e-mail address, so `Ann@X` and `ann@x` are the same patient. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * The same patient across consultations (repeat submissions, overlapping plans) without keeping
 * their e-mail address as a key: a keyed hash of it.
 */
export const patientRefFor = (secret: string, email: string) =>
  `pt_${createHmac('sha256', secret)
    .update(`patient:${normaliseEmail(email)}`)
    .digest('base64url')
    .slice(0, 26)}`;
