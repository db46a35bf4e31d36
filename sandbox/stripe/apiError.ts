/** Stripe's error `type`s, which decide the SDK's error class together with the HTTP status. */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** The body Stripe answers errors with: `{ error: { type, code, message, param, ... } }`. */
export type StripeErrorBody = {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
};

/**
 * An error answered in Stripe's shape. `replayable` says whether an Idempotency-Key stores it:
 * Stripe keeps the outcome of requests that started executing (a card decline, a refused refund)
 * but not of requests that failed parameter validation.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly replayable = true,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

export const invalidRequest = (message: string, extra: Omit<StripeErrorBody, 'type' | 'message'> = {}) =>
  new StripeApiError(400, { type: 'invalid_request_error', message, ...extra });

export const resourceMissing = (kind: string, id: string, param?: string) =>
  new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    ...(param ? { param } : {}),
  });

/** Answers produced before a handler runs, so never stored against an Idempotency-Key. */
export const validationError = (message: string, extra: Omit<StripeErrorBody, 'type' | 'message'> = {}) =>
  new StripeApiError(400, { type: 'invalid_request_error', message, ...extra }, false);
