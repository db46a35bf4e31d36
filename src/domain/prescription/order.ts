import { type Decider, DomainError } from '../decider.js';
import { smsNumber } from '../phoneNumber.js';
import { decideDelivery, IN_CARRIER_HANDS } from './decideDelivery.js';
import { decidePayment, refundEverything } from './decidePayment.js';
import { decideDrugReview } from './drugReview.js';
import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent, OrderStatus } from './orderEvents.js';
import { evolveOrder, initialOrderState, type OrderState, requireStatus } from './orderState.js';

export type { OrderCommand } from './orderCommand.js';
export type { OrderState } from './orderState.js';

/** The ends of an order's life: nothing moves it on from here. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled'];

/**
 * Cancelling refunds whatever the patient paid. Once the parcel is with the carrier it cannot be
 * cancelled here: a return (or a failed delivery) brings it back to a delivery exception first.
 */
const CANCELLABLE: readonly OrderStatus[] = [
  'received',
  'validated',
  'validation_issue',
  'awaiting_enrollment',
  'awaiting_routing',
  'awaiting_drug_review',
  'awaiting_pharmacy_selection',
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
  'payment_mismatch',
  'paid',
  'delivery_exception',
];

/** The magic link must be the current one, unused and unexpired; each refusal says which. */
export const requireUsableLink = (state: OrderState, tokenHash: string, now: string) => {
  const link = state.enrollmentLink;
  if (!link || link.tokenHash !== tokenHash) {
    throw new DomainError(
      'not_found',
      'LINK_INVALID',
      'this enrollment link is no longer valid; a newer link may have been sent',
    );
  }
  if (link.used || state.status !== 'awaiting_enrollment') {
    throw new DomainError('gone', 'LINK_USED', 'this enrollment link has already been used');
  }
  if (Date.parse(now) >= Date.parse(link.expiresAt)) {
    throw new DomainError(
      'gone',
      'LINK_EXPIRED',
      'this enrollment link has expired; ask the pharmacy for a new one',
    );
  }
};

const decide = (command: OrderCommand, state: OrderState): OrderEvent[] => {
  const delegated = decidePayment(command, state) ?? decideDelivery(command, state);
  if (delegated) return delegated;
  switch (command.type) {
    case 'ReceivePrescription':
      requireStatus(state, ['none'], 'receive a prescription');
      return [
        {
          type: 'PrescriptionReceived',
          data: {
            orderId: command.orderId,
            messageId: command.messageId,
            patientKey: command.patientKey,
            prescription: command.prescription,
            rawMessage: command.rawMessage,
            receivedAt: command.now,
          },
        },
      ];

    case 'RecordValidation':
      // Validation answers the latest received or corrected prescription; a late answer is dropped.
      if (state.status !== 'received') return [];
      return command.outcome.ok
        ? [
            {
              type: 'PrescriptionValidated',
              data: { normalisedNdc: command.outcome.normalisedNdc, validatedAt: command.now },
            },
          ]
        : [
            {
              type: 'PrescriptionValidationFailed',
              data: { issues: command.outcome.issues, validatedAt: command.now },
            },
          ];

    case 'CorrectPrescription':
      requireStatus(state, ['validation_issue', 'validated'], 'correct the prescription');
      return [
        {
          type: 'PrescriptionCorrected',
          data: {
            prescription: command.prescription,
            correctedFields: command.correctedFields,
            reason: command.reason,
          },
        },
      ];

    case 'CorrectPatientContact': {
      if (state.status === 'none' || TERMINAL_STATUSES.includes(state.status)) {
        requireStatus(state, [], 'correct the patient’s contact details');
      }
      const { address, phone, email } = command;
      if (!address && phone === undefined && email === undefined) {
        throw new DomainError('invalid', 'NOTHING_CORRECTED', 'give the address, phone or e-mail to correct');
      }
      return [
        {
          type: 'PatientContactCorrected',
          data: {
            ...(address ? { address } : {}),
            ...(phone !== undefined ? { phone } : {}),
            ...(email !== undefined ? { email } : {}),
            reason: command.reason,
          },
        },
      ];
    }

    case 'IssueEnrollmentLink': {
      requireStatus(state, ['validated', 'awaiting_enrollment'], 'send an enrollment link');
      const resend = state.status === 'awaiting_enrollment';
      return [
        {
          type: 'EnrollmentLinkIssued',
          data: {
            linkId: command.linkId,
            tokenHash: command.tokenHash,
            expiresAt: command.expiresAt,
            email: command.email,
            resend,
          },
        },
      ];
    }

    case 'UploadInsuranceCard':
      requireUsableLink(state, command.tokenHash, command.now);
      return [{ type: 'InsuranceCardUploaded', data: { side: command.side, document: command.document } }];

    case 'CompleteEnrollment': {
      requireUsableLink(state, command.tokenHash, command.now);
      const { front, back } = state.cards;
      if (!front || !back) {
        throw new DomainError(
          'invalid',
          'CARDS_MISSING',
          'upload the front and the back of the insurance card before submitting',
          {
            missing: [front ? null : 'front', back ? null : 'back'].filter(Boolean),
          },
        );
      }
      if (command.smsPhone !== undefined) {
        const checked = smsNumber(command.smsPhone, 'US');
        if (!checked.ok || checked.e164 !== command.smsPhone) {
          throw new DomainError(
            'invalid',
            'INVALID_PHONE',
            'give the mobile number for texts in E.164 (+1…)',
          );
        }
      }
      return [
        {
          type: 'EnrollmentCompleted',
          data: { insurance: command.insurance, cardFront: front, cardBack: back, consent: command.consent },
        },
        ...(command.smsPhone !== undefined
          ? [{ type: 'SmsNotificationsChosen' as const, data: { phone: command.smsPhone } }]
          : []),
      ];
    }

    case 'HoldForDrugReview':
    case 'ClearDrugReview':
    case 'RecordRoutingBlocked':
      return decideDrugReview(command, state);

    case 'RecommendPharmacies':
      if (state.status !== 'awaiting_routing') return [];
      if (command.recommendations.length === 0) {
        throw new DomainError(
          'conflict',
          'NO_ELIGIBLE_PHARMACY',
          'no pharmacy in the network can fill this prescription',
        );
      }
      return [
        {
          type: 'PharmaciesRecommended',
          data: { recommendations: command.recommendations, status: 'awaiting_pharmacy_selection' },
        },
      ];

    case 'SelectPharmacy': {
      requireStatus(state, ['awaiting_pharmacy_selection'], 'select a pharmacy');
      const chosen = state.recommendations.find((r) => r.pharmacyId === command.pharmacyId);
      if (!chosen) {
        throw new DomainError(
          'invalid',
          'PHARMACY_NOT_RECOMMENDED',
          `pharmacy ${command.pharmacyId} is not among the recommendations`,
        );
      }
      return [
        {
          type: 'PharmacySelected',
          data: { pharmacyId: chosen.pharmacyId, pharmacyName: chosen.name, score: chosen.score },
        },
      ];
    }

    case 'RecordAdjudication':
      if (state.status !== 'pharmacy_selected') return [];
      return command.result.paid
        ? [{ type: 'ClaimAdjudicated', data: command.result.adjudication }]
        : [
            {
              type: 'ClaimRejected',
              data: { claimId: command.result.claimId, rejects: command.result.rejects },
            },
          ];

    case 'ResubmitClaim':
      requireStatus(state, ['adjudication_rejected'], 'resubmit the claim');
      return [
        {
          type: 'ClaimResubmitted',
          data: { reason: command.reason, priorAuthorizationNumber: command.priorAuthorizationNumber },
        },
      ];

    case 'RecordPriorAuthorization':
      // An approval that came by fax or phone is recorded and the claim goes again, carrying it.
      requireStatus(state, ['adjudication_rejected'], 'record a prior authorization');
      return [
        {
          type: 'PriorAuthorizationRecorded',
          data: { number: command.number, receivedVia: command.receivedVia, note: command.note },
        },
        {
          type: 'ClaimResubmitted',
          data: {
            reason: `prior authorization ${command.number} received by ${command.receivedVia}`,
            priorAuthorizationNumber: command.number,
          },
        },
      ];

    case 'CancelOrder': {
      requireStatus(state, CANCELLABLE, 'cancel the order');
      if (state.status === 'paid' && state.labelPurchase) {
        throw new DomainError(
          'conflict',
          'LABEL_BEING_BOUGHT',
          'the shipping label is being bought; once the parcel ships, record its return to cancel',
        );
      }
      return [
        { type: 'OrderCancelled', data: { reason: command.reason, fromStatus: state.status as OrderStatus } },
        ...refundEverything(state, command.refundId, 'cancellation', command.reason),
      ];
    }

    default:
      throw new DomainError(
        'invalid',
        'UNKNOWN_COMMAND',
        `unknown command ${(command as { type: string }).type}`,
      );
  }
};

export const orderDecider: Decider<OrderState, OrderCommand, OrderEvent> = {
  decide,
  evolve: evolveOrder,
  initialState: initialOrderState,
};

export const orderStream = (orderId: string) => `order-${orderId}`;

export { IN_CARRIER_HANDS };
