import { describe, it } from 'vitest';
import { orderDecider } from '../../../src/domain/prescription/order.js';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { deciderSpec } from '../../support/deciderSpec.js';
import { history, inTransit, shipped } from './orderHistory.js';

const spec = deciderSpec(orderDecider);

const awaitingPayment = history.awaitingPayment;
const paidOrder = history.paid;
const failure: OrderEvent = {
  type: 'DeliveryExceptionRaised',
  data: { carrierStatus: 'failure', statusDate: '2026-11-22T12:00:00Z', details: 'address not found' },
};
const payment = (over: Partial<{ paymentIntentId: string; amountMinor: number; currency: string }> = {}) =>
  ({
    type: 'RecordPayment',
    sessionId: 'cs_1',
    paymentIntentId: 'pi_2',
    stripeEventId: 'evt_9',
    amountMinor: 2500,
    currency: 'usd',
    ...over,
  }) as const;

describe('money: what the patient paid is kept only for an order that ships', () => {
  it('given a paid order with a failed delivery, when ops cancel, then the whole payment is refunded', () =>
    spec
      .given([...paidOrder, shipped, inTransit, failure])
      .when({ type: 'CancelOrder', reason: 'patient moved away', refundId: 'R1' })
      .then([
        { type: 'OrderCancelled', data: { reason: 'patient moved away', fromStatus: 'delivery_exception' } },
        {
          type: 'RefundRequested',
          data: {
            refundId: 'R1',
            paymentIntentId: 'pi_1',
            amountMinor: 2500,
            currency: 'usd',
            kind: 'cancellation',
            reason: 'patient moved away',
          },
        },
      ]));

  it('given an order waiting for payment, when ops cancel, then nothing is refunded (nothing was paid)', () =>
    spec
      .given(awaitingPayment)
      .when({ type: 'CancelOrder', reason: 'duplicate prescription', refundId: 'R1' })
      .then([
        {
          type: 'OrderCancelled',
          data: { reason: 'duplicate prescription', fromStatus: 'awaiting_payment' },
        },
      ]));

  it('given a cancelled order, when a payment still lands, then it is recorded and refunded in full', () =>
    spec
      .given([
        ...awaitingPayment,
        { type: 'OrderCancelled', data: { reason: 'x', fromStatus: 'awaiting_payment' } },
      ])
      .when(payment())
      .then([
        {
          type: 'UnexpectedPaymentReceived',
          data: {
            sessionId: 'cs_1',
            paymentIntentId: 'pi_2',
            stripeEventId: 'evt_9',
            amountMinor: 2500,
            currency: 'usd',
            reason: 'order_cancelled',
          },
        },
        {
          type: 'RefundRequested',
          data: {
            refundId: 'pi_2',
            paymentIntentId: 'pi_2',
            amountMinor: 2500,
            currency: 'usd',
            kind: 'payment_after_cancellation',
            reason: 'payment arrived after the order was cancelled',
          },
        },
      ]));

  it('given a paid order, when a second payment lands, then it is refunded as a duplicate', () =>
    spec
      .given(paidOrder)
      .when(payment())
      .then([
        {
          type: 'UnexpectedPaymentReceived',
          data: {
            sessionId: 'cs_1',
            paymentIntentId: 'pi_2',
            stripeEventId: 'evt_9',
            amountMinor: 2500,
            currency: 'usd',
            reason: 'already_paid',
          },
        },
        {
          type: 'RefundRequested',
          data: {
            refundId: 'pi_2',
            paymentIntentId: 'pi_2',
            amountMinor: 2500,
            currency: 'usd',
            kind: 'duplicate_payment',
            reason: 'the order was already paid',
          },
        },
      ]));

  it('given an order asking $25.00, when $0.01 is paid, then the payment is held as a mismatch, not paid', () =>
    spec
      .given(awaitingPayment)
      .when(payment({ amountMinor: 1 }))
      .then([
        {
          type: 'PaymentAmountMismatched',
          data: {
            sessionId: 'cs_1',
            paymentIntentId: 'pi_2',
            stripeEventId: 'evt_9',
            amountMinor: 1,
            currency: 'usd',
            expectedMinor: 2500,
            expectedCurrency: 'usd',
          },
        },
      ]));

  it('given an order asking USD, when the same number is paid in EUR, then it is a mismatch', () =>
    spec
      .given(awaitingPayment)
      .when(payment({ currency: 'eur' }))
      .then([
        {
          type: 'PaymentAmountMismatched',
          data: {
            sessionId: 'cs_1',
            paymentIntentId: 'pi_2',
            stripeEventId: 'evt_9',
            amountMinor: 2500,
            currency: 'eur',
            expectedMinor: 2500,
            expectedCurrency: 'usd',
          },
        },
      ]));

  const mismatch: OrderEvent = {
    type: 'PaymentAmountMismatched',
    data: {
      sessionId: 'cs_1',
      paymentIntentId: 'pi_2',
      stripeEventId: 'evt_9',
      amountMinor: 1,
      currency: 'usd',
      expectedMinor: 2500,
      expectedCurrency: 'usd',
    },
  };

  it('given a mismatched payment, when the label would be recorded, then nothing ships', () =>
    spec
      .given([...awaitingPayment, mismatch])
      .when({
        type: 'StartLabelPurchase',
        shipmentId: 's',
        rateId: 'r',
        carrier: 'ups',
        serviceLevel: 'x',
        amountMinor: 1,
        currency: 'usd',
        coldChain: false,
      })
      .then([]));

  it('given a mismatched payment, when ops accept it, then the order is paid', () =>
    spec
      .given([...awaitingPayment, mismatch])
      .when({ type: 'AcceptMismatchedPayment', reason: 'coupon applied by phone' })
      .then([
        {
          type: 'PaymentMismatchAccepted',
          data: { paymentIntentId: 'pi_2', reason: 'coupon applied by phone' },
        },
      ]));

  it('given a mismatched payment, when ops refund it, then it goes back and the order asks again', () =>
    spec
      .given([...awaitingPayment, mismatch])
      .when({ type: 'RefundMismatchedPayment', refundId: 'R2', reason: 'wrong amount' })
      .then([
        {
          type: 'RefundRequested',
          data: {
            refundId: 'R2',
            paymentIntentId: 'pi_2',
            amountMinor: 1,
            currency: 'usd',
            kind: 'amount_mismatch',
            reason: 'wrong amount',
          },
        },
        { type: 'PaymentReopened', data: { reason: 'wrong amount' } },
      ]));

  it('given a paid order, when ops refund part of it, then that part is refunded', () =>
    spec
      .given(paidOrder)
      .when({ type: 'RequestRefund', refundId: 'R3', amountMinor: 500, reason: 'coupon applied late' })
      .then([
        {
          type: 'RefundRequested',
          data: {
            refundId: 'R3',
            paymentIntentId: 'pi_1',
            amountMinor: 500,
            currency: 'usd',
            kind: 'partial',
            reason: 'coupon applied late',
          },
        },
      ]));

  const partial: OrderEvent = {
    type: 'RefundRequested',
    data: {
      refundId: 'R3',
      paymentIntentId: 'pi_1',
      amountMinor: 2000,
      currency: 'usd',
      kind: 'partial',
      reason: 'x',
    },
  };

  it('given $20 of $25 refunded, when ops ask to refund $10, then it is refused as more than was paid', () =>
    spec
      .given([...paidOrder, partial])
      .when({ type: 'RequestRefund', refundId: 'R4', amountMinor: 1000, reason: 'x' })
      .thenThrows('REFUND_EXCEEDS_PAYMENT'));

  it('given a failed refund, when ops refund again, then the failed amount counts as refundable again', () =>
    spec
      .given([
        ...paidOrder,
        partial,
        {
          type: 'RefundFailed',
          data: { refundId: 'R3', stripeRefundId: 're_1', reason: 'expired_card', stripeEventId: 'e' },
        },
      ])
      .when({ type: 'RequestRefund', refundId: 'R4', amountMinor: 2500, reason: 'again' })
      .then([
        {
          type: 'RefundRequested',
          data: {
            refundId: 'R4',
            paymentIntentId: 'pi_1',
            amountMinor: 2500,
            currency: 'usd',
            kind: 'partial',
            reason: 'again',
          },
        },
      ]));

  it('given a partial refund, when a cancellation follows, then only the remainder is refunded', () =>
    spec
      .given([...paidOrder, { ...partial, data: { ...partial.data, amountMinor: 500 } }])
      .when({ type: 'CancelOrder', reason: 'patient declined', refundId: 'R5' })
      .then([
        { type: 'OrderCancelled', data: { reason: 'patient declined', fromStatus: 'paid' } },
        {
          type: 'RefundRequested',
          data: {
            refundId: 'R5',
            paymentIntentId: 'pi_1',
            amountMinor: 2000,
            currency: 'usd',
            kind: 'cancellation',
            reason: 'patient declined',
          },
        },
      ]));

  it('given a requested refund, when Stripe settles it twice, then it is recorded once', () =>
    spec
      .given([
        ...paidOrder,
        partial,
        {
          type: 'RefundSettled',
          data: { refundId: 'R3', stripeRefundId: 're_1', amountMinor: 2000, stripeEventId: 'e1' },
        },
      ])
      .when({
        type: 'RecordRefundSettled',
        refundId: 'R3',
        stripeRefundId: 're_1',
        amountMinor: 2000,
        stripeEventId: 'e2',
      })
      .then([]));

  it('given a paid order whose label purchase has started, when ops cancel, then it is refused until it ships', () =>
    spec
      .given([
        ...paidOrder,
        {
          type: 'ShippingLabelPurchaseStarted',
          data: {
            shipmentId: 's',
            rateId: 'r',
            carrier: 'ups',
            serviceLevel: 'x',
            amountMinor: 1,
            currency: 'usd',
            coldChain: true,
          },
        },
      ])
      .when({ type: 'CancelOrder', reason: 'x', refundId: 'R' })
      .thenThrows('LABEL_BEING_BOUGHT'));
});

describe('prior authorization', () => {
  const rejected: OrderEvent[] = [
    ...history.selected,
    { type: 'ClaimRejected', data: { claimId: 'C1', rejects: [{ code: '75', message: 'PA required' }] } },
  ];

  it('given a PA reject, when ops record an approval received by fax, then the claim goes again with its number', () =>
    spec
      .given(rejected)
      .when({ type: 'RecordPriorAuthorization', number: 'PA00000001', receivedVia: 'fax', note: null })
      .then([
        {
          type: 'PriorAuthorizationRecorded',
          data: { number: 'PA00000001', receivedVia: 'fax', note: null },
        },
        {
          type: 'ClaimResubmitted',
          data: {
            reason: 'prior authorization PA00000001 received by fax',
            priorAuthorizationNumber: 'PA00000001',
          },
        },
      ]));
});

describe('delivery', () => {
  const inCarrierHands = history.inTransit;
  const tracking = (status: 'in_transit' | 'delivered' | 'returned', statusDate: string, extra = {}) =>
    ({
      type: 'RecordTracking',
      status,
      statusDate,
      details: null,
      now: '2026-11-22T12:00:00Z',
      source: 'carrier',
      ...extra,
    }) as const;

  it('given a parcel in transit, when a scan dated 2099 arrives, then it is refused', () =>
    spec.given(inCarrierHands).when(tracking('delivered', '2099-01-01T00:00:00Z')).then([]));

  it('given a scan dated 2099 was once recorded, when the real delivery follows by sequence, then it is applied', () =>
    spec
      .given([
        ...paidOrder,
        shipped,
        {
          type: 'DeliveryStatusUpdated',
          data: { status: 'in_transit', statusDate: '2099-01-01T00:00:00Z', details: null, sequence: 2 },
        },
      ])
      .when(tracking('delivered', '2026-11-22T11:00:00Z', { sequence: 3 }))
      .then([
        {
          type: 'DeliveryStatusUpdated',
          data: {
            status: 'delivered',
            statusDate: '2026-11-22T11:00:00Z',
            details: null,
            source: 'carrier',
            sequence: 3,
          },
        },
      ]));

  it('given a parcel in transit, when staff record it returned, then a delivery exception is raised by staff', () =>
    spec
      .given(inCarrierHands)
      .when({ ...tracking('returned', '2026-11-22T12:00:00Z'), source: 'staff', details: 'carrier phoned' })
      .then([
        {
          type: 'DeliveryExceptionRaised',
          data: {
            carrierStatus: 'returned',
            statusDate: '2026-11-22T12:00:00Z',
            details: 'carrier phoned',
            source: 'staff',
          },
        },
      ]));

  const newAddress = {
    line1: '9 Elm Court',
    city: 'Columbus',
    state: 'OH',
    postalCode: '43004',
    country: 'US',
  };

  it('given a delivery exception, when ops reship to a corrected address, then the new address is kept', () =>
    spec
      .given([...inCarrierHands, failure])
      .when({ type: 'RequestReshipment', reason: 'address corrected', address: newAddress })
      .then([{ type: 'ReshipmentRequested', data: { reason: 'address corrected', address: newAddress } }]));

  it('given any open order, when ops correct the phone and e-mail, then the correction is recorded', () =>
    spec
      .given(paidOrder)
      .when({
        type: 'CorrectPatientContact',
        phone: '614-555-0100',
        email: 'new@example.org',
        reason: 'patient called',
      })
      .then([
        {
          type: 'PatientContactCorrected',
          data: { phone: '614-555-0100', email: 'new@example.org', reason: 'patient called' },
        },
      ]));

  it('given a completed order, when ops correct the address, then it is refused', () =>
    spec
      .given([
        ...inCarrierHands,
        {
          type: 'DeliveryStatusUpdated',
          data: { status: 'delivered', statusDate: '2026-11-22T11:00:00Z', details: null },
        },
        { type: 'OrderCompleted', data: { completedAt: 'T' } },
      ])
      .when({ type: 'CorrectPatientContact', address: newAddress, reason: 'x' })
      .thenThrows('INVALID_STATUS'));
});
