import { describe, it } from 'vitest';
import { orderDecider } from '../../../src/domain/prescription/order.js';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { deciderSpec } from '../../support/deciderSpec.js';
import {
  adjudicated,
  adjudication,
  card,
  consent,
  enrolled,
  insurance,
  inTransit,
  linkCreated,
  linkIssued,
  paid,
  prescription,
  received,
  recommended,
  selected,
  shipped,
  validated,
} from './orderHistory.js';

const spec = deciderSpec(orderDecider);

describe('prescription order', () => {
  it('given nothing, when a prescription is received, then the order exists as received', () =>
    spec
      .given([])
      .when({
        type: 'ReceivePrescription',
        orderId: '01J',
        messageId: 'M1',
        patientKey: null,
        prescription,
        rawMessage: '<Message/>',
        now: '2026-11-21T10:00:00Z',
      })
      .then([received]));

  it('given a received order, when the same prescription is received again, then it is refused', () =>
    spec
      .given([received])
      .when({
        type: 'ReceivePrescription',
        orderId: '01J',
        messageId: 'M1',
        patientKey: null,
        prescription,
        rawMessage: '',
        now: '',
      })
      .thenThrows('INVALID_STATUS'));

  it('given a received order, when validation finds issues, then every issue is recorded', () => {
    const issues = [
      { code: 'SIG_EMPTY', field: 'medication.sig', message: 'Sig is empty' },
      { code: 'NDC_INVALID', field: 'medication.productCode', message: 'bad NDC' },
    ];
    spec
      .given([received])
      .when({ type: 'RecordValidation', outcome: { ok: false, issues }, now: 'T' })
      .then([{ type: 'PrescriptionValidationFailed', data: { issues, validatedAt: 'T' } }]);
  });

  it('given a validated order, when a late validation result arrives, then it is ignored', () =>
    spec
      .given([received, validated])
      .when({ type: 'RecordValidation', outcome: { ok: true, normalisedNdc: 'x' }, now: 'T' })
      .then([]));

  it('given a validation issue, when ops correct it, then the order goes back for validation', () =>
    spec
      .given([received, { type: 'PrescriptionValidationFailed', data: { issues: [], validatedAt: 'T' } }])
      .when({
        type: 'CorrectPrescription',
        prescription,
        correctedFields: ['medication.sig'],
        reason: 'called prescriber',
      })
      .then([
        {
          type: 'PrescriptionCorrected',
          data: { prescription, correctedFields: ['medication.sig'], reason: 'called prescriber' },
        },
      ]));

  it('given a link out, when it is resent, then the new link is marked as a resend', () =>
    spec
      .given([received, validated, linkIssued])
      .when({
        type: 'IssueEnrollmentLink',
        linkId: 'L2',
        tokenHash: 'hash-2',
        expiresAt: 'E',
        email: 'a@example.org',
      })
      .then([
        {
          type: 'EnrollmentLinkIssued',
          data: { linkId: 'L2', tokenHash: 'hash-2', expiresAt: 'E', email: 'a@example.org', resend: true },
        },
      ]));

  const enroll = (tokenHash: string, now: string) =>
    ({ type: 'CompleteEnrollment', tokenHash, insurance, consent, now }) as const;
  const front: OrderEvent = { type: 'InsuranceCardUploaded', data: { side: 'front', document: card } };
  const back: OrderEvent = { type: 'InsuranceCardUploaded', data: { side: 'back', document: card } };

  it('given both card sides uploaded, when the patient enrolls before the link expires, then enrollment completes', () =>
    spec
      .given([received, validated, linkIssued, front, back])
      .when(enroll('hash-1', '2026-11-21T11:00:00Z'))
      .then([enrolled]));

  it('given a patient who asks for texts, when they enroll, then the choice and its mobile are recorded with the enrollment', () =>
    spec
      .given([received, validated, linkIssued, front, back])
      .when({ ...enroll('hash-1', '2026-11-21T11:00:00Z'), smsPhone: '+14155550132' })
      .then([enrolled, { type: 'SmsNotificationsChosen', data: { phone: '+14155550132' } }]));

  it.each(['4155550132', '+1 415 555 0132', '+1415555013', '+44113496012'])(
    'given a number for texts not in E.164 or not a mobile (%s), when the patient enrolls, then it is refused',
    (smsPhone) =>
      spec
        .given([received, validated, linkIssued, front, back])
        .when({ ...enroll('hash-1', '2026-11-21T11:00:00Z'), smsPhone })
        .thenThrows('INVALID_PHONE'),
  );

  it('given only the front of the card, when the patient submits, then it is refused until the back is uploaded', () =>
    spec
      .given([received, validated, linkIssued, front])
      .when(enroll('hash-1', '2026-11-21T11:00:00Z'))
      .thenThrows('CARDS_MISSING'));

  it('given an expired link, when the patient uploads a card, then it is refused as expired', () =>
    spec
      .given([received, validated, linkIssued])
      .when({
        type: 'UploadInsuranceCard',
        tokenHash: 'hash-1',
        side: 'front',
        document: card,
        now: '2026-11-25T00:00:00Z',
      })
      .thenThrows('LINK_EXPIRED'));

  it('given a link out, when the patient enrolls after it expired, then it is refused as expired', () =>
    spec
      .given([received, validated, linkIssued])
      .when(enroll('hash-1', '2026-11-24T10:00:00Z'))
      .thenThrows('LINK_EXPIRED'));

  it('given a resent link, when the patient uses the old one, then it is refused as invalid', () =>
    spec
      .given([
        received,
        validated,
        linkIssued,
        { ...linkIssued, data: { ...linkIssued.data, tokenHash: 'hash-2', resend: true } },
      ] as OrderEvent[])
      .when(enroll('hash-1', '2026-11-21T11:00:00Z'))
      .thenThrows('LINK_INVALID'));

  it('given a completed enrollment, when the link is used again, then it is refused as used', () =>
    spec
      .given([received, validated, linkIssued, enrolled])
      .when(enroll('hash-1', '2026-11-21T11:00:00Z'))
      .thenThrows('LINK_USED'));

  it('given recommendations, when ops pick a pharmacy that was not recommended, then it is refused', () =>
    spec
      .given([received, validated, linkIssued, enrolled, recommended])
      .when({ type: 'SelectPharmacy', pharmacyId: 'PH-9' })
      .thenThrows('PHARMACY_NOT_RECOMMENDED'));

  it('given recommendations, when ops pick one, then it is selected with its score', () =>
    spec
      .given([received, validated, linkIssued, enrolled, recommended])
      .when({ type: 'SelectPharmacy', pharmacyId: 'PH-1' })
      .then([selected]));

  it('given a zero patient amount, when payment is waived, then the order is paid', () =>
    spec
      .given([
        received,
        validated,
        linkIssued,
        enrolled,
        recommended,
        selected,
        { type: 'ClaimAdjudicated', data: adjudication(0) },
      ])
      .when({ type: 'WaivePayment' })
      .then([{ type: 'PaymentWaived', data: { reason: 'zero_patient_amount' } }]));

  it('given an amount owed, when payment is waived, then it is refused', () =>
    spec
      .given([received, validated, linkIssued, enrolled, recommended, selected, adjudicated])
      .when({ type: 'WaivePayment' })
      .thenThrows('PAYMENT_REQUIRED'));

  it('given a paid order, when the same payment arrives again, then nothing happens', () =>
    spec
      .given([
        received,
        validated,
        linkIssued,
        enrolled,
        recommended,
        selected,
        adjudicated,
        linkCreated,
        paid,
      ])
      .when({
        type: 'RecordPayment',
        sessionId: 'cs_1',
        paymentIntentId: 'pi_1',
        stripeEventId: 'evt_2',
        amountMinor: 2500,
        currency: 'usd',
      })
      .then([]));

  const history = [
    received,
    validated,
    linkIssued,
    enrolled,
    recommended,
    selected,
    adjudicated,
    linkCreated,
    paid,
    shipped,
    inTransit,
  ];

  it('given an order in transit, when an older tracking update arrives, then it is ignored', () =>
    spec
      .given(history)
      .when({
        type: 'RecordTracking',
        status: 'out_for_delivery',
        statusDate: '2026-11-22T09:00:00Z',
        details: null,
        now: '2026-11-22T12:00:00Z',
        source: 'carrier',
      })
      .then([]));

  it('given an order in transit, when the carrier reports a failure, then a delivery exception is raised', () =>
    spec
      .given(history)
      .when({
        type: 'RecordTracking',
        status: 'failure',
        statusDate: '2026-11-22T12:00:00Z',
        details: 'address not found',
        now: '2026-11-22T12:00:00Z',
        source: 'carrier',
      })
      .then([
        {
          type: 'DeliveryExceptionRaised',
          data: {
            carrierStatus: 'failure',
            statusDate: '2026-11-22T12:00:00Z',
            details: 'address not found',
            source: 'carrier',
          },
        },
      ]));

  it('given a shipped order, when ops try to cancel, then it is refused', () =>
    spec
      .given(history)
      .when({ type: 'CancelOrder', reason: 'patient asked', refundId: 'R1' })
      .thenThrows('INVALID_STATUS'));

  it('given a delivered order, when it is completed, then it is completed', () =>
    spec
      .given([
        ...history,
        {
          type: 'DeliveryStatusUpdated',
          data: { status: 'delivered', statusDate: '2026-11-23T10:00:00Z', details: null },
        },
      ])
      .when({ type: 'CompleteOrder', now: 'T' })
      .then([{ type: 'OrderCompleted', data: { completedAt: 'T' } }]));
});
