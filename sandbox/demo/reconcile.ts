// Every cent, both sides: what the platform's ledger says each order and consultation charged and
// refunded, beside what the payment provider (the Stripe stand-in) actually captured and gave back.

import type { SqlPool } from '../../src/platform/sql.js';
import type { StripeStandIn } from '../stripe/server.js';

export type MoneyRow = {
  kind: 'order' | 'consultation';
  id: string;
  status: string;
  chargedMinor: number;
  refundedMinor: number;
  keptMinor: number;
  /** What Stripe holds for the same case. */
  stripeChargedMinor: number;
  stripeRefundedMinor: number;
  reconciled: boolean;
};

/** The provider's captured and refunded amounts per case, from its charges' payment intents. */
const stripeTotals = (stripe: StripeStandIn) => {
  const totals = new Map<string, { charged: number; refunded: number }>();
  for (const charge of stripe.state.charges.values()) {
    const intent = stripe.state.paymentIntents.get(charge.payment_intent);
    const metadata = { ...intent?.metadata, ...charge.metadata };
    const ref = metadata.orderId ?? metadata.consultationId ?? metadata.orderRef;
    if (!ref || charge.status !== 'succeeded') continue;
    const total = totals.get(ref) ?? { charged: 0, refunded: 0 };
    total.charged += charge.amount_captured;
    total.refunded += charge.amount_refunded;
    totals.set(ref, total);
  }
  return totals;
};

export const reconcileMoney = async (pool: SqlPool, stripe: StripeStandIn): Promise<MoneyRow[]> => {
  const atStripe = stripeTotals(stripe);
  const row = (
    kind: MoneyRow['kind'],
    id: string,
    status: string,
    chargedMinor: number,
    refundedMinor: number,
  ): MoneyRow => {
    const theirs = atStripe.get(id) ?? { charged: 0, refunded: 0 };
    return {
      kind,
      id,
      status,
      chargedMinor,
      refundedMinor,
      keptMinor: chargedMinor - refundedMinor,
      stripeChargedMinor: theirs.charged,
      stripeRefundedMinor: theirs.refunded,
      reconciled: theirs.charged === chargedMinor && theirs.refunded === refundedMinor,
    };
  };
  const orders = await pool.query<{ order_id: string; status: string; charged: string; refunded: string }>(
    `SELECT order_id, status, coalesce(detail->'money'->>'chargedMinor', '0') AS charged,
            coalesce(detail->'money'->>'refundedMinor', '0') AS refunded
       FROM orders ORDER BY received_at`,
  );
  const consultations = await pool.query<{
    consultation_id: string;
    status: string;
    charged: string;
    refunded: string;
  }>(
    `SELECT consultation_id, status,
            (SELECT coalesce(sum((c->>'amountPence')::bigint), 0) FROM jsonb_array_elements(detail->'state'->'charges') c)
              + (SELECT coalesce(sum((u->>'amountPence')::bigint), 0)
                   FROM jsonb_array_elements(coalesce(detail->'account'->'unexpectedPayments', '[]')) u) AS charged,
            (SELECT coalesce(sum((r->>'amountPence')::bigint), 0) FROM jsonb_array_elements(detail->'account'->'refundsSettled') r) AS refunded
       FROM consultations ORDER BY started_at NULLS LAST`,
  );
  return [
    ...orders.rows.map((r) => row('order', r.order_id, r.status, Number(r.charged), Number(r.refunded))),
    ...consultations.rows.map((r) =>
      row('consultation', r.consultation_id, r.status, Number(r.charged), Number(r.refunded)),
    ),
  ];
};

const money = (minor: number) => (minor / 100).toFixed(2).padStart(10);

/** The table the demo prints: every case with money, mismatches always, and the totals. */
export const moneyTable = (rows: readonly MoneyRow[], maxRows = 60): string[] => {
  const withMoney = rows.filter((r) => r.chargedMinor > 0 || r.stripeChargedMinor > 0);
  const shown = [
    ...withMoney.filter((r) => !r.reconciled),
    ...withMoney.filter((r) => r.reconciled).slice(0, maxRows),
  ];
  const sum = (pick: (r: MoneyRow) => number) => withMoney.reduce((total, r) => total + pick(r), 0);
  const header = `${'case'.padEnd(40)} ${'status'.padEnd(20)} ${'charged'.padStart(10)} ${'refunded'.padStart(10)} ${'kept'.padStart(10)}  stripe: ${'charged'.padStart(10)} ${'refunded'.padStart(10)}`;
  return [
    header,
    ...shown.map(
      (r) =>
        `${`${r.kind} ${r.id}`.padEnd(40)} ${r.status.padEnd(20)} ${money(r.chargedMinor)} ${money(r.refundedMinor)} ${money(r.keptMinor)}          ${money(r.stripeChargedMinor)} ${money(r.stripeRefundedMinor)}${r.reconciled ? '' : '  ← MISMATCH'}`,
    ),
    ...(withMoney.length > shown.length ? [`… ${withMoney.length - shown.length} more, all reconciled`] : []),
    `${'total'.padEnd(61)} ${money(sum((r) => r.chargedMinor))} ${money(sum((r) => r.refundedMinor))} ${money(sum((r) => r.keptMinor))}          ${money(sum((r) => r.stripeChargedMinor))} ${money(sum((r) => r.stripeRefundedMinor))}`,
    `${withMoney.filter((r) => r.reconciled).length} of ${withMoney.length} cases reconciled: charged − refunded = kept, and Stripe agrees`,
  ];
};
