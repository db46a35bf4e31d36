import { describe, expect, it } from 'vitest';
import { orderDecider, TERMINAL_STATUSES } from '../../../src/domain/prescription/order.js';
import type { OrderCommand } from '../../../src/domain/prescription/orderCommand.js';
import {
  ORDER_STATUSES,
  type OrderEvent,
  type OrderStatus,
} from '../../../src/domain/prescription/orderEvents.js';
import {
  adjudicated,
  enrolled,
  history,
  linkIssued,
  prescription,
  received,
  recommended,
  shipped,
  validated,
} from './orderHistory.js';

// The state table of docs/ARCHITECTURE.md: from every status that is not an end, an ops action
// moves the order on or ends it. Each row is a history that reaches the status and the actions
// the console offers there; every one of them must be accepted by the decider.

const mismatch: OrderEvent = {
  type: 'PaymentAmountMismatched',
  data: {
    sessionId: 'cs_1',
    paymentIntentId: 'pi_9',
    stripeEventId: 'e',
    amountMinor: 1,
    currency: 'usd',
    expectedMinor: 2500,
    expectedCurrency: 'usd',
  },
};
const upTo = {
  received: [received],
  validated: [received, validated],
  validation_issue: [
    received,
    { type: 'PrescriptionValidationFailed', data: { issues: [], validatedAt: 'T' } },
  ],
  awaiting_enrollment: [received, validated, linkIssued],
  awaiting_routing: [received, validated, linkIssued, enrolled],
  awaiting_drug_review: [
    received,
    validated,
    linkIssued,
    enrolled,
    {
      type: 'DrugReviewRequired',
      data: { ndc11: '00074055402', reason: 'not_in_catalogue', message: 'not in the catalogue' },
    },
  ],
  awaiting_pharmacy_selection: [received, validated, linkIssued, enrolled, recommended],
  pharmacy_selected: history.selected,
  adjudicated: [...history.selected, adjudicated],
  adjudication_rejected: [
    ...history.selected,
    { type: 'ClaimRejected', data: { claimId: 'C', rejects: [{ code: '75', message: 'PA' }] } },
  ],
  awaiting_payment: history.awaitingPayment,
  payment_mismatch: [...history.awaitingPayment, mismatch],
  paid: history.paid,
  shipped: [...history.paid, shipped],
} satisfies Partial<Record<OrderStatus, OrderEvent[]>>;

const inCarrierHands = history.inTransit;
const histories: Record<Exclude<OrderStatus, 'completed' | 'cancelled'>, OrderEvent[]> = {
  ...upTo,
  in_transit: inCarrierHands,
  out_for_delivery: [
    ...inCarrierHands,
    {
      type: 'DeliveryStatusUpdated',
      data: { status: 'out_for_delivery', statusDate: '2026-11-22T11:00:00Z', details: null },
    },
  ],
  delivered: [
    ...inCarrierHands,
    {
      type: 'DeliveryStatusUpdated',
      data: { status: 'delivered', statusDate: '2026-11-22T11:00:00Z', details: null },
    },
  ],
  delivery_exception: [
    ...inCarrierHands,
    {
      type: 'DeliveryExceptionRaised',
      data: { carrierStatus: 'failure', statusDate: '2026-11-22T11:00:00Z', details: null },
    },
  ],
};

const cancel: OrderCommand = { type: 'CancelOrder', reason: 'ops ends it', refundId: 'R' };
const staffScan = (status: 'delivered' | 'returned'): OrderCommand => ({
  type: 'RecordTracking',
  status,
  statusDate: '2026-11-22T12:00:00Z',
  details: 'heard from the carrier',
  now: '2026-11-22T12:00:00Z',
  source: 'staff',
});

/** What ops can do in each status: [moves it on, ends it]. */
const WAYS_OUT: Record<keyof typeof histories, { on: OrderCommand[]; end: OrderCommand[] }> = {
  received: { on: [], end: [cancel] }, // validation runs by itself; a parked run is retried by ops
  validated: {
    on: [
      { type: 'IssueEnrollmentLink', linkId: 'L', tokenHash: 'h', expiresAt: 'E', email: 'a@example.org' },
    ],
    end: [cancel],
  },
  validation_issue: {
    on: [
      {
        type: 'CorrectPrescription',
        prescription,
        correctedFields: ['x'],
        reason: 'fixed',
      },
    ],
    end: [cancel],
  },
  awaiting_enrollment: {
    on: [
      { type: 'IssueEnrollmentLink', linkId: 'L2', tokenHash: 'h2', expiresAt: 'E', email: 'b@example.org' },
    ],
    end: [cancel],
  },
  awaiting_routing: { on: [], end: [cancel] }, // routing runs by itself
  awaiting_drug_review: {
    on: [{ type: 'ClearDrugReview', ndc11: '00074055402', storageClass: 'refrigerated' }],
    end: [cancel],
  },
  awaiting_pharmacy_selection: { on: [{ type: 'SelectPharmacy', pharmacyId: 'PH-1' }], end: [cancel] },
  pharmacy_selected: { on: [], end: [cancel] }, // adjudication runs by itself
  adjudicated: { on: [], end: [cancel] }, // the payment link is opened by itself
  adjudication_rejected: {
    on: [
      { type: 'ResubmitClaim', reason: 'corrected', priorAuthorizationNumber: null },
      { type: 'RecordPriorAuthorization', number: 'PA1', receivedVia: 'fax', note: null },
    ],
    end: [cancel],
  },
  awaiting_payment: { on: [], end: [cancel] }, // the patient pays; an expired link is replaced
  payment_mismatch: {
    on: [
      { type: 'AcceptMismatchedPayment', reason: 'ok' },
      { type: 'RefundMismatchedPayment', refundId: 'R2', reason: 'ask again' },
    ],
    end: [cancel],
  },
  paid: { on: [], end: [cancel] }, // the label is bought by itself
  shipped: { on: [staffScan('delivered')], end: [staffScan('returned')] },
  in_transit: { on: [staffScan('delivered')], end: [staffScan('returned')] },
  out_for_delivery: { on: [staffScan('delivered')], end: [staffScan('returned')] },
  delivered: { on: [{ type: 'CompleteOrder', now: 'T' }], end: [] },
  delivery_exception: { on: [{ type: 'RequestReshipment', reason: 'again' }], end: [cancel] },
};

describe('no dead ends: every status that is not an end has a way on or out', () => {
  it('covers every status of the order', () => {
    expect(Object.keys(WAYS_OUT).sort()).toEqual(
      ORDER_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)).sort(),
    );
  });

  for (const [status, ways] of Object.entries(WAYS_OUT)) {
    it(`${status}: ${[...ways.on, ...ways.end].map((c) => c.type).join(', ')}`, () => {
      const history = histories[status as keyof typeof histories];
      const state = history.reduce(orderDecider.evolve, orderDecider.initialState());
      expect(state.status).toBe(status);
      expect(ways.on.length + ways.end.length).toBeGreaterThan(0);
      for (const command of [...ways.on, ...ways.end]) {
        expect(orderDecider.decide(command, state).length, command.type).toBeGreaterThan(0);
      }
    });
  }
});
