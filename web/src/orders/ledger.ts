import type { OrderView } from '../api/types.js';

type Ledger = OrderView['money'];
type Payment = Ledger['payments'][number];
type Refund = Ledger['refunds'][number];

export type LedgerEntry =
  | { entry: 'payment'; at: string; label: string; payment: Payment }
  | { entry: 'refund'; at: string; label: string; refund: Refund };

const PAYMENT_LABELS: Record<Payment['kind'], string> = {
  order: 'Payment',
  mismatch: 'Payment of a different amount',
  unexpected: 'Payment the order did not ask for',
};

const REFUND_LABELS: Record<Refund['kind'], string> = {
  cancellation: 'Refund on cancellation',
  payment_after_cancellation: 'Refund of a payment after cancellation',
  duplicate_payment: 'Refund of a second payment',
  amount_mismatch: 'Refund of a payment of the wrong amount',
  partial: 'Partial refund',
};

/** Payments and refunds as one story, oldest first; a refund sits at the time it was asked for. */
export const ledgerEntries = (money: Ledger): LedgerEntry[] =>
  [
    ...money.payments.map(
      (payment): LedgerEntry => ({
        entry: 'payment',
        at: payment.at,
        label: PAYMENT_LABELS[payment.kind] ?? payment.kind,
        payment,
      }),
    ),
    ...money.refunds.map(
      (refund): LedgerEntry => ({
        entry: 'refund',
        at: refund.requestedAt,
        label: REFUND_LABELS[refund.kind] ?? refund.kind,
        refund,
      }),
    ),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
