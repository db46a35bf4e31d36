/**
 * Verifies the webhooks SignatureRx and Royal Mail send: `x-signature: t=<unix seconds>,v1=<hex>`
 * where v1 is HMAC-SHA256 over `<t>.<raw body>` with the shared secret. Several v1 entries may be
 * present while a secret is rotated; any one matching is enough.
 *
 * Shared by the prescribing and dispatch adapters; it lives with the first of them in the flow.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';

export const SIGNATURE_HEADER = 'x-signature';

/** Older deliveries could be replays of a captured request: five minutes covers clock skew. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type WebhookHeaders = Record<string, string | readonly string[] | undefined>;

/** Not from the vendor, or too old to trust: the edge answers 401 and acts on nothing. */
export class InvalidSignatureError extends Error {
  constructor(
    readonly vendor: string,
    readonly reason: 'missing' | 'malformed' | 'mismatch' | 'stale',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidSignatureError';
  }
}

/**
 * Signed by the vendor but not in the shape we read. `malformed` answers 400 so it shows in the
 * vendor's dashboard; `unsupported_event` is acknowledged with 2xx so the vendor stops resending.
 */
export class UnreadableWebhookError extends Error {
  constructor(
    readonly vendor: string,
    readonly reason: 'malformed' | 'unsupported_event',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'UnreadableWebhookError';
  }
}

const headerValue = (headers: WebhookHeaders, name: string): string | undefined => {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return typeof value === 'string' ? value : undefined;
};

const parseHeader = (header: string) => {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return { timestamp, signatures };
};

const matches = (expectedHex: string, givenHex: string): boolean => {
  const expected = Buffer.from(expectedHex, 'hex');
  const given = Buffer.from(givenHex, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/**
 * Checks the signature over the exact bytes received, then its age, and only then parses the JSON:
 * a body re-serialised by a framework would no longer match what the vendor signed.
 */
export const readSignedJson = (options: {
  vendor: string;
  rawBody: Buffer | string;
  headers: WebhookHeaders;
  secret: string;
  clock: Clock;
  toleranceSeconds?: number;
}): unknown => {
  const { vendor } = options;
  const header = headerValue(options.headers, SIGNATURE_HEADER);
  if (!header) throw new InvalidSignatureError(vendor, 'missing', `No ${SIGNATURE_HEADER} header`);
  const { timestamp, signatures } = parseHeader(header);
  if (timestamp === undefined || signatures.length === 0) {
    throw new InvalidSignatureError(vendor, 'malformed', `${SIGNATURE_HEADER} has no t= and v1= entries`);
  }
  const raw = Buffer.isBuffer(options.rawBody) ? options.rawBody : Buffer.from(options.rawBody, 'utf8');
  const expected = createHmac('sha256', options.secret).update(`${timestamp}.`).update(raw).digest('hex');
  if (!signatures.some((signature) => matches(expected, signature))) {
    throw new InvalidSignatureError(vendor, 'mismatch', 'The signature does not match the body');
  }
  const ageSeconds = Math.abs(options.clock.now().getTime() / 1000 - timestamp);
  if (ageSeconds > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) {
    throw new InvalidSignatureError(vendor, 'stale', `The signature is ${Math.round(ageSeconds)} s old`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new UnreadableWebhookError(vendor, 'malformed', 'The webhook body is not JSON', error);
  }
};
