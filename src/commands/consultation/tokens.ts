import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A patient has no account: each consultation has its own signed key, returned when it starts and
 * e-mailed with every message. It is an HMAC of the consultation id under the server's link
 * secret, so nothing needs storing and a guessed id opens nothing.
 */
export const consultationToken = (secret: string, consultationId: string) =>
  createHmac('sha256', secret).update(`consultation:${consultationId}`).digest('base64url');

export const verifyConsultationToken = (secret: string, consultationId: string, token: unknown) => {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const expected = Buffer.from(consultationToken(secret, consultationId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

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
