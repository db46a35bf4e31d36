import type { Adjudication, OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import type { NewRxMessage } from '../../../src/domain/prescription/types.js';

/** An order's history step by step, for decider specs: each constant is one event. */
export const prescription = {
  header: { messageId: 'M1' },
  patient: { identifiers: {} },
  prescriber: {},
  medication: {},
} as NewRxMessage;

export const received: OrderEvent = {
  type: 'PrescriptionReceived',
  data: {
    orderId: '01J',
    messageId: 'M1',
    patientKey: null,
    prescription,
    rawMessage: '<Message/>',
    receivedAt: '2026-11-21T10:00:00Z',
  },
};
export const validated: OrderEvent = {
  type: 'PrescriptionValidated',
  data: { normalisedNdc: '00074055402', validatedAt: '2026-11-21T10:00:01Z' },
};
export const linkIssued: OrderEvent = {
  type: 'EnrollmentLinkIssued',
  data: {
    linkId: 'L1',
    tokenHash: 'hash-1',
    expiresAt: '2026-11-24T10:00:00Z',
    email: 'a@example.org',
    resend: false,
  },
};
export const insurance = {
  memberId: 'M',
  bin: '610014',
  pcn: 'P',
  group: 'G',
  cardholderName: 'A',
  relationship: '1' as const,
};
export const card = { key: 'k', contentType: 'image/png', size: 10, sha256: 'x' };
export const consent = {
  version: 'v1',
  textSha256: 'x',
  acceptedBy: 'A',
  acceptedAt: '2026-11-21T11:00:00Z',
  ipAddress: '127.0.0.1',
  userAgent: 'test',
};
export const enrolled: OrderEvent = {
  type: 'EnrollmentCompleted',
  data: { insurance, cardFront: card, cardBack: card, consent },
};
export const recommended: OrderEvent = {
  type: 'PharmaciesRecommended',
  data: {
    recommendations: [{ pharmacyId: 'PH-1', name: 'One', score: 90, reasons: ['Licensed in OH'] }],
    status: 'awaiting_pharmacy_selection',
  },
};
export const selected: OrderEvent = {
  type: 'PharmacySelected',
  data: { pharmacyId: 'PH-1', pharmacyName: 'One', score: 90 },
};
export const adjudication = (patientPays: number): Adjudication => ({
  claimId: 'C1',
  planName: 'Plan',
  planType: 'commercial',
  tier: 3,
  ingredientCostMinor: 100_000,
  planPaysMinor: 100_000 - patientPays,
  patientPaysMinor: patientPays,
  deductibleAppliedMinor: 0,
  couponAppliedMinor: 0,
  couponProgram: null,
  patientPaysAfterCouponMinor: patientPays,
});
export const adjudicated: OrderEvent = { type: 'ClaimAdjudicated', data: adjudication(2500) };
export const linkCreated: OrderEvent = {
  type: 'PaymentLinkCreated',
  data: {
    sessionId: 'cs_1',
    url: 'http://x',
    expiresAt: '2026-11-22T00:00:00Z',
    amountMinor: 2500,
    currency: 'usd',
  },
};
export const paid: OrderEvent = {
  type: 'PaymentReceived',
  data: {
    sessionId: 'cs_1',
    paymentIntentId: 'pi_1',
    stripeEventId: 'evt_1',
    amountMinor: 2500,
    currency: 'usd',
  },
};
export const label = {
  shipmentId: 's',
  transactionId: 't',
  carrier: 'UPS',
  serviceLevel: 'Next Day Air',
  trackingNumber: '1Z',
  labelUrl: 'http://l',
  trackingUrl: null,
  costMinor: 3000,
};
export const shipped: OrderEvent = { type: 'ShippingLabelPurchased', data: { ...label, coldChain: true } };
export const inTransit: OrderEvent = {
  type: 'DeliveryStatusUpdated',
  data: { status: 'in_transit', statusDate: '2026-11-22T10:00:00Z', details: null },
};

/** The common paths of an order, step by step, for specs that start part-way. */
export const history = {
  selected: [received, validated, linkIssued, enrolled, recommended, selected] as OrderEvent[],
  get awaitingPayment(): OrderEvent[] {
    return [...this.selected, adjudicated, linkCreated];
  },
  get paid(): OrderEvent[] {
    return [...this.awaitingPayment, paid];
  },
  get inTransit(): OrderEvent[] {
    return [...this.paid, shipped, inTransit];
  },
};
