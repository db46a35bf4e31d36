import { DomainError } from '../decider.js';
import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent, RefundKind } from './orderEvents.js';
import { type OrderState, refundableOf, refundableTotal, requireStatus } from './orderState.js';

type Command<T extends OrderCommand['type']> = Extract<OrderCommand, { type: T }>;

/** Statuses in which the order waits for the patient's money. */
const PAYABLE = ['adjudicated', 'awaiting_payment'] as const;

/** One command may refund several payments: the first refund takes the id, the rest number on. */
const refundIdFor = (base: string, index: number) => (index === 0 ? base : `${base}-${index}`);

/** Refunds of what is left of every payment (a cancellation), largest first. */
export const refundEverything = (
  state: OrderState,
  refundId: string,
  kind: RefundKind,
  reason: string,
): OrderEvent[] =>
  state.payments
    .map((p) => ({ payment: p, left: refundableOf(state, p.paymentIntentId) }))
    .filter(({ left }) => left > 0)
    .map(({ payment, left }, index) => ({
      type: 'RefundRequested',
      data: {
        refundId: refundIdFor(refundId, index),
        paymentIntentId: payment.paymentIntentId,
        amountMinor: left,
        currency: payment.currency,
        kind,
        reason,
      },
    }));

export const decidePayment = (command: OrderCommand, state: OrderState): OrderEvent[] | null => {
  switch (command.type) {
    case 'RecordPaymentLink':
      if (!(PAYABLE as readonly string[]).includes(state.status)) return [];
      if (state.paymentSessions.includes(command.sessionId)) return [];
      return [
        {
          type: 'PaymentLinkCreated',
          data: {
            sessionId: command.sessionId,
            url: command.url,
            expiresAt: command.expiresAt,
            amountMinor: command.amountMinor,
            currency: 'usd',
          },
        },
      ];

    case 'WaivePayment':
      if (state.status !== 'adjudicated') return [];
      if ((state.adjudication?.patientPaysAfterCouponMinor ?? 1) !== 0) {
        throw new DomainError(
          'invalid',
          'PAYMENT_REQUIRED',
          'the patient owes an amount; payment cannot be waived',
        );
      }
      return [{ type: 'PaymentWaived', data: { reason: 'zero_patient_amount' } }];

    case 'ExpirePaymentLink':
      // Only the newest link matters: an older session expiring changes nothing.
      if (state.status !== 'awaiting_payment' || state.paymentSessions.at(-1) !== command.sessionId)
        return [];
      return [{ type: 'PaymentLinkExpired', data: { sessionId: command.sessionId } }];

    case 'RecordPaymentLinkClosed':
      if (!state.paymentSessions.includes(command.sessionId)) return [];
      if (state.closedSessions.includes(command.sessionId)) return [];
      return [
        { type: 'PaymentLinkClosed', data: { sessionId: command.sessionId, outcome: command.outcome } },
      ];

    case 'RecordPayment':
      return recordPayment(command, state);

    case 'AcceptMismatchedPayment':
      requireStatus(state, ['payment_mismatch'], 'accept the payment');
      return [
        {
          type: 'PaymentMismatchAccepted',
          data: { paymentIntentId: state.mismatchedPaymentIntentId!, reason: command.reason },
        },
      ];

    case 'RefundMismatchedPayment': {
      requireStatus(state, ['payment_mismatch'], 'refund the payment');
      const paymentIntentId = state.mismatchedPaymentIntentId!;
      const payment = state.payments.find((p) => p.paymentIntentId === paymentIntentId)!;
      return [
        {
          type: 'RefundRequested',
          data: {
            refundId: command.refundId,
            paymentIntentId,
            amountMinor: refundableOf(state, paymentIntentId),
            currency: payment.currency,
            kind: 'amount_mismatch',
            reason: command.reason,
          },
        },
        { type: 'PaymentReopened', data: { reason: command.reason } },
      ];
    }

    case 'RequestRefund':
      return requestRefund(command, state);

    case 'RecordRefundSettled': {
      const refund = state.refunds.find((r) => r.refundId === command.refundId);
      if (!refund)
        throw new DomainError('not_found', 'REFUND_NOT_FOUND', `no refund ${command.refundId} on this order`);
      if (refund.status === 'settled') return [];
      return [
        {
          type: 'RefundSettled',
          data: {
            refundId: command.refundId,
            stripeRefundId: command.stripeRefundId,
            amountMinor: command.amountMinor,
            stripeEventId: command.stripeEventId,
          },
        },
      ];
    }

    case 'RecordRefundFailed': {
      const refund = state.refunds.find((r) => r.refundId === command.refundId);
      if (!refund)
        throw new DomainError('not_found', 'REFUND_NOT_FOUND', `no refund ${command.refundId} on this order`);
      if (refund.status !== 'requested') return [];
      return [
        {
          type: 'RefundFailed',
          data: {
            refundId: command.refundId,
            stripeRefundId: command.stripeRefundId,
            reason: command.reason,
            stripeEventId: command.stripeEventId,
          },
        },
      ];
    }

    default:
      return null;
  }
};

/**
 * Every payment Stripe reports is money taken, so it is always recorded. What the order makes of it
 * depends on whether it still wants it: the amount asked for pays the order; any other amount or
 * currency is held for ops; money for a cancelled or already paid order goes straight back.
 */
const recordPayment = (command: Command<'RecordPayment'>, state: OrderState): OrderEvent[] => {
  if (state.status === 'none')
    throw new DomainError('not_found', 'ORDER_NOT_FOUND', 'there is no such order');
  if (state.payments.some((p) => p.paymentIntentId === command.paymentIntentId)) return [];
  const money = {
    sessionId: command.sessionId,
    paymentIntentId: command.paymentIntentId,
    stripeEventId: command.stripeEventId,
  };
  const unexpected = (
    reason: 'order_cancelled' | 'already_paid' | 'not_awaiting_payment',
    kind: RefundKind,
  ): OrderEvent[] => [
    {
      type: 'UnexpectedPaymentReceived',
      data: { ...money, amountMinor: command.amountMinor, currency: command.currency, reason },
    },
    {
      type: 'RefundRequested',
      data: {
        refundId: command.paymentIntentId,
        paymentIntentId: command.paymentIntentId,
        amountMinor: command.amountMinor,
        currency: command.currency,
        kind,
        reason:
          reason === 'order_cancelled'
            ? 'payment arrived after the order was cancelled'
            : reason === 'already_paid'
              ? 'the order was already paid'
              : 'the order was not waiting for payment',
      },
    },
  ];
  if (state.status === 'cancelled') return unexpected('order_cancelled', 'payment_after_cancellation');
  if (state.paid || state.status === 'payment_mismatch')
    return unexpected('already_paid', 'duplicate_payment');
  if (!(PAYABLE as readonly string[]).includes(state.status))
    return unexpected('not_awaiting_payment', 'duplicate_payment');
  const expected = state.patientAmountMinor;
  if (command.amountMinor === expected && command.currency === 'usd') {
    return [
      { type: 'PaymentReceived', data: { ...money, amountMinor: command.amountMinor, currency: 'usd' } },
    ];
  }
  return [
    {
      type: 'PaymentAmountMismatched',
      data: {
        ...money,
        amountMinor: command.amountMinor,
        currency: command.currency,
        expectedMinor: expected ?? 0,
        expectedCurrency: 'usd',
      },
    },
  ];
};

/** A refund by ops, bounded by what the patient paid and was not yet given back. */
const requestRefund = (command: Command<'RequestRefund'>, state: OrderState): OrderEvent[] => {
  if (!Number.isInteger(command.amountMinor) || command.amountMinor <= 0) {
    throw new DomainError('invalid', 'REFUND_AMOUNT_INVALID', 'a refund is a positive whole number of cents');
  }
  const available = refundableTotal(state);
  if (available === 0)
    throw new DomainError('conflict', 'NOTHING_TO_REFUND', 'nothing the patient paid is left to refund');
  if (command.amountMinor > available) {
    throw new DomainError(
      'invalid',
      'REFUND_EXCEEDS_PAYMENT',
      `at most ${available} cents can be refunded; ${command.amountMinor} were asked`,
      { refundableMinor: available },
    );
  }
  const events: OrderEvent[] = [];
  let remaining = command.amountMinor;
  for (const payment of state.payments) {
    const take = Math.min(remaining, refundableOf(state, payment.paymentIntentId));
    if (take <= 0) continue;
    events.push({
      type: 'RefundRequested',
      data: {
        refundId: refundIdFor(command.refundId, events.length),
        paymentIntentId: payment.paymentIntentId,
        amountMinor: take,
        currency: payment.currency,
        kind: 'partial',
        reason: command.reason,
      },
    });
    remaining -= take;
    if (remaining === 0) break;
  }
  return events;
};
