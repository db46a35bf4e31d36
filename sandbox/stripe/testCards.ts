import type { Card } from './objects.js';

/**
 * How a test card behaves: `declineCode` is what its charges get (null: they succeed);
 * `declinesAtCheckout` is false for cards that save fine and fail only later, off-session.
 */
export type TestCard = { card: Card; declineCode: string | null; declinesAtCheckout: boolean };

const card = (
  brand: string,
  last4: string,
  declineCode: string | null = null,
  declinesAtCheckout = true,
): TestCard => ({
  card: { brand, last4, exp_month: 12, exp_year: 2034, funding: 'credit', country: 'US' },
  declineCode,
  declinesAtCheckout: declineCode !== null && declinesAtCheckout,
});

/** Stripe's documented test card numbers, as typed on the hosted checkout page. */
const BY_NUMBER: Record<string, TestCard> = {
  '4242424242424242': card('visa', '4242'),
  '5555555555554444': card('mastercard', '4444'),
  '4000000000000002': card('visa', '0002', 'generic_decline'),
  '4000000000009995': card('visa', '9995', 'insufficient_funds'),
  // Saves at checkout, then every later charge is declined: the lapsed card of a monthly instalment.
  '4000000000000341': card('visa', '0341', 'card_declined', false),
};

/** Stripe's test PaymentMethod ids, accepted wherever an id is; each use mints a fresh `pm_`. */
const BY_PAYMENT_METHOD: Record<string, TestCard> = {
  pm_card_visa: card('visa', '4242'),
  pm_card_mastercard: card('mastercard', '4444'),
  pm_card_chargeCustomerFail: card('visa', '0341', 'card_declined', false),
};

export const testCardByNumber = (number: string): TestCard | undefined =>
  BY_NUMBER[number.replace(/[\s-]/g, '')];

export const testCardByPaymentMethod = (id: string): TestCard | undefined => BY_PAYMENT_METHOD[id];

export const DEFAULT_TEST_CARD = card('visa', '4242');
