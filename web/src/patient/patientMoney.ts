import type { PatientOrder } from '../api/types.js';
import { formatMoney } from '../ui/format.js';

export type MoneyLine = { key: string; text: string; tone: 'done' | 'pending' | 'failed' | 'plain' };

/**
 * What the patient reads about their money, in their words: what they paid, and each refund as
 * done, on its way, or stuck. `when` formats an instant (the page passes the app's formatter).
 */
export const patientMoneyLines = (order: PatientOrder, when: (iso: string) => string): MoneyLine[] => {
  const lines: MoneyLine[] = [];
  const money = order.money;
  // A view from before the ledger knows only that it was paid, and how much.
  const charged = money
    ? money.chargedMinor
    : order.payment.status === 'paid'
      ? (order.payment.amountMinor ?? 0)
      : 0;
  if (order.payment.status === 'waived')
    lines.push({ key: 'paid', text: 'There is nothing to pay.', tone: 'plain' });
  else if (order.status === 'payment_mismatch')
    lines.push({
      key: 'paid',
      text: `We received a payment that differs from your copay of ${formatMoney(order.payment.amountMinor)}. The pharmacy is checking it and will contact you.`,
      tone: 'pending',
    });
  else if (charged > 0)
    lines.push({
      key: 'paid',
      text:
        order.status === 'cancelled'
          ? `You paid ${formatMoney(charged)}.`
          : `Paid ${formatMoney(charged)}. Thank you.`,
      tone: 'plain',
    });
  for (const [index, refund] of (money?.refunds ?? []).entries()) {
    const key = `refund-${index}`;
    const amount = formatMoney(refund.amountMinor);
    if (refund.status === 'settled')
      lines.push({
        key,
        text: `${amount} refunded on ${when(refund.settledAt ?? refund.requestedAt)}.`,
        tone: 'done',
      });
    else if (refund.status === 'requested')
      lines.push({
        key,
        text: `Refund of ${amount} in progress. It usually reaches your card within 5–10 business days.`,
        tone: 'pending',
      });
    else
      lines.push({
        key,
        text: `A refund of ${amount} could not be completed. The pharmacy will contact you.`,
        tone: 'failed',
      });
  }
  return lines;
};
