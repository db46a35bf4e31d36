import type {
  Charge,
  CheckoutSession,
  Customer,
  PaymentIntent,
  PaymentMethod,
  Refund,
  SetupIntent,
  StripeEvent,
} from './objects.js';

/** What a checkout session was created with but Stripe does not show on the session object. */
export type CheckoutDetails = {
  lineItems: readonly { name: string; unitAmount: number; quantity: number }[];
  paymentIntentData: {
    description: string | null;
    metadata: Record<string, string>;
    setupFutureUsage: 'off_session' | 'on_session' | null;
  };
};

/** Everything the stand-in knows, in memory; tests read it through the `state` control. */
export type StandInState = {
  customers: Map<string, Customer>;
  paymentMethods: Map<string, PaymentMethod>;
  checkoutSessions: Map<string, CheckoutSession>;
  checkoutDetails: Map<string, CheckoutDetails>;
  paymentIntents: Map<string, PaymentIntent>;
  charges: Map<string, Charge>;
  refunds: Map<string, Refund>;
  setupIntents: Map<string, SetupIntent>;
  /** Payment methods whose charges the card issuer declines, with the decline code. */
  decliningCards: Map<string, string>;
  /** Decline codes queued for a customer's next off-session charge. */
  pendingDeclines: Map<string, string[]>;
  /** How many coming refunds the card network will fail after accepting them. */
  pendingRefundFailures: number;
};

export const emptyState = (): StandInState => ({
  customers: new Map(),
  paymentMethods: new Map(),
  checkoutSessions: new Map(),
  checkoutDetails: new Map(),
  paymentIntents: new Map(),
  charges: new Map(),
  refunds: new Map(),
  setupIntents: new Map(),
  decliningCards: new Map(),
  pendingDeclines: new Map(),
  pendingRefundFailures: 0,
});

/** What every operation of the stand-in needs: the state, its clock and a way to send events. */
export type StandInContext = {
  state: StandInState;
  clock: { now(): Date };
  /** Where the hosted checkout page is reachable, for session `url`s. */
  publicBaseUrl(): string;
  emit(type: string, object: unknown): StripeEvent;
};
