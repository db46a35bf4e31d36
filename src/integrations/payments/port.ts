/**
 * How the pharmacy takes money: a hosted checkout for the first payment, a saved card for the
 * monthly instalments, refunds, and the provider's webhooks read back as facts the order flows
 * understand. Amounts are integer minor units (cents, pence). Every call that could move money
 * takes an idempotency key derived from the triggering event, so a retried call never charges,
 * refunds or opens a checkout twice. Failures follow `src/integrations/errors.ts`:
 * `VendorUnavailableError` (retry on the platform's schedule) or `VendorRejectedError` (final).
 */
export type Currency = 'usd' | 'gbp';

export type CheckoutRequest = {
  idempotencyKey: string;
  /** The order (or enrollment) this payment is for; comes back on every event about it. */
  orderRef: string;
  amountMinor: number;
  currency: Currency;
  /** What the patient sees on the payment page, e.g. "Specialty prescription, first fill". */
  description: string;
  customerEmail?: string;
  successUrl: string;
  cancelUrl: string;
  /** When the patient can no longer pay (30 min – 24 h from now); the provider's default is 24 h. */
  expiresAt?: Date;
  /** Keep the card for off-session charges such as monthly instalments. */
  saveCardForFutureCharges?: boolean;
  customerId?: string;
  metadata?: Record<string, string>;
};

export type CheckoutCreated = { sessionId: string; url: string; expiresAt: string };

/** After asking to close a checkout: `complete` means the patient paid first and a refund may be due. */
export type CheckoutClosed = { status: 'expired' | 'complete' };

/** A checkout as the provider has it now: what a check makes of a webhook that never came. */
export type CheckoutState = {
  sessionId: string;
  status: 'open' | 'complete' | 'expired';
  paid: boolean;
  paymentIntentId: string | null;
  customerId: string | null;
  amountMinor: number | null;
  currency: string | null;
  metadata: Record<string, string>;
};

export type CustomerRequest = {
  idempotencyKey: string;
  email?: string;
  name?: string;
  metadata?: Record<string, string>;
};

export type SavedCard = {
  paymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
};

export type SavedCardCharge = {
  idempotencyKey: string;
  customerId: string;
  /** Absent: the customer's most recently saved card. */
  paymentMethodId?: string;
  amountMinor: number;
  currency: Currency;
  description?: string;
  metadata: Record<string, string>;
};

/** A declined card is a business outcome for the instalment flow, not an error. */
export type ChargeOutcome =
  | { ok: true; paymentIntentId: string }
  | { ok: false; declineCode: string; message: string; paymentIntentId: string | null };

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';
export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export type RefundRequest = {
  idempotencyKey: string;
  paymentIntentId: string;
  /** Absent: whatever is still unrefunded. */
  amountMinor?: number;
  reason?: RefundReason;
  metadata?: Record<string, string>;
};

export type RefundCreated = { refundId: string; status: RefundStatus; amountMinor: number };

/**
 * The provider's events the platform acts on. Each carries `stripeEventId` so the webhook handler
 * processes an event once however often it is delivered; distinct events may still report the
 * same fact (a refund seen as created and then updated), so flows key their effects on the
 * payment, refund or session id as well.
 */
export type PaymentWebhookEvent =
  | {
      kind: 'checkoutCompleted';
      stripeEventId: string;
      sessionId: string;
      orderRef: string | null;
      /** False only for delayed payment methods; cards are paid at completion. */
      paid: boolean;
      paymentIntentId: string | null;
      setupIntentId: string | null;
      customerId: string | null;
      amountMinor: number | null;
      currency: string | null;
      metadata: Record<string, string>;
    }
  | {
      kind: 'checkoutExpired';
      stripeEventId: string;
      sessionId: string;
      orderRef: string | null;
      metadata: Record<string, string>;
    }
  | {
      kind: 'paymentSucceeded';
      stripeEventId: string;
      paymentIntentId: string;
      customerId: string | null;
      paymentMethodId: string | null;
      amountMinor: number;
      currency: string;
      metadata: Record<string, string>;
    }
  | {
      kind: 'paymentFailed';
      stripeEventId: string;
      paymentIntentId: string;
      customerId: string | null;
      amountMinor: number;
      currency: string;
      declineCode: string | null;
      message: string | null;
      metadata: Record<string, string>;
    }
  | {
      kind: 'refundSucceeded';
      stripeEventId: string;
      refundId: string;
      paymentIntentId: string | null;
      amountMinor: number;
      currency: string;
      metadata: Record<string, string>;
    }
  | {
      kind: 'refundFailed';
      stripeEventId: string;
      refundId: string;
      paymentIntentId: string | null;
      amountMinor: number;
      currency: string;
      failureReason: string | null;
      metadata: Record<string, string>;
    }
  | { kind: 'ignored'; stripeEventId: string; type: string };

/** The webhook was not signed with our secret, was altered, or is too old: answer 400, never process. */
export class InvalidWebhookSignatureError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'InvalidWebhookSignatureError';
  }
}

/** A correctly signed event whose content we cannot read: the provider's API changed under us. */
export class UnreadableWebhookError extends Error {
  constructor(
    readonly stripeEventId: string | null,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'UnreadableWebhookError';
  }
}

export type PaymentGateway = {
  createCheckout(input: CheckoutRequest): Promise<CheckoutCreated>;
  /** Closes an unpaid checkout (an order cancelled); safe to repeat. */
  expireCheckout(input: { sessionId: string }): Promise<CheckoutClosed>;
  /** Reads a checkout back: webhooks can be late or lost, the provider's record is not. */
  getCheckout(sessionId: string): Promise<CheckoutState>;
  createCustomer(input: CustomerRequest): Promise<{ customerId: string }>;
  listSavedCards(customerId: string): Promise<SavedCard[]>;
  chargeSavedCard(input: SavedCardCharge): Promise<ChargeOutcome>;
  refund(input: RefundRequest): Promise<RefundCreated>;
  /** Verifies the signature over the raw body, then reads the event; throws `InvalidWebhookSignatureError`. */
  parseWebhook(rawBody: Buffer | string, signatureHeader: string | undefined): PaymentWebhookEvent;
};
