import { DomainError } from '../decider.js';
import type { CommandOf } from './consultationCommands.js';
import type { ConsultationEvent, ConsultationStatus } from './consultationEvents.js';
import type { ConsultationState } from './consultationState.js';
import { elapsed, refundRequested, requireStatus } from './guards.js';
import { addDays } from './time.js';

export const CONSULTATION_TIMEOUT_DAYS = 30;

export type ExceptionCommand = CommandOf<
  'RequestCancellation' | 'CancelConsultation' | 'RejectTimedOut' | 'RecordRefundConfirmed'
>;

/** Paid and waiting on someone before a decision: where a case can stall and time out. */
const AWAITING_DECISION: readonly ConsultationStatus[] = [
  'awaiting_id_verification',
  'id_document_requested',
  'id_manual_review',
  'in_clinical_review',
  'awaiting_response',
];

/** Paid and nothing has left the pharmacy: a cancellation refunds everything. */
const CANCELLABLE: readonly ConsultationStatus[] = [
  ...AWAITING_DECISION,
  'approved',
  'prescribed',
  'dispatch_pending',
];

/** Started but nothing paid: cancelling ends the case with no refund. */
const UNPAID: readonly ConsultationStatus[] = ['draft', 'awaiting_payment'];

const PAID_AND_OPEN: readonly ConsultationStatus[] = [
  ...CANCELLABLE,
  'dispatched',
  'delivered',
  'delivery_failed',
  'instalment_paused',
];

export const decideExceptions = (
  command: ExceptionCommand,
  state: ConsultationState,
): ConsultationEvent[] => {
  switch (command.type) {
    case 'RequestCancellation':
      // The patient's message goes to the pharmacy team; a person decides and cancels.
      requireStatus(state, PAID_AND_OPEN, 'request a cancellation');
      return [
        { type: 'CancellationRequested', data: { message: command.message, requestedAt: command.now } },
      ];

    case 'CancelConsultation':
      // Nothing paid yet: the case simply ends (its open checkout is closed by the checkout process).
      if (UNPAID.includes(state.status as ConsultationStatus)) {
        return [
          {
            type: 'ConsultationCancelled',
            data: {
              staffId: command.staffId,
              reason: command.reason,
              fromStatus: state.status as ConsultationStatus,
              cancelledAt: command.now,
            },
          },
        ];
      }
      requireStatus(state, PAID_AND_OPEN, 'cancel the consultation');
      if (state.suppliesDispatched > 0) {
        throw new DomainError(
          'conflict',
          'ALREADY_DISPATCHED',
          'a month has been dispatched: resolve the delivery or cancel the remaining instalments instead',
        );
      }
      requireStatus(state, CANCELLABLE, 'cancel the consultation');
      // A signed prescription stays as it is (it is final); it is simply never dispensed.
      return [
        {
          type: 'ConsultationCancelled',
          data: {
            staffId: command.staffId,
            reason: command.reason,
            fromStatus: state.status as ConsultationStatus,
            cancelledAt: command.now,
          },
        },
        refundRequested(state, 'patient_cancellation', command.now),
      ];

    case 'RejectTimedOut':
      requireStatus(state, AWAITING_DECISION, 'close the consultation as timed out');
      if (!elapsed(state.lastActivityAt, CONSULTATION_TIMEOUT_DAYS, command.now)) {
        throw new DomainError(
          'conflict',
          'TOO_EARLY',
          'a consultation can be closed 30 days after it last moved',
          {
            closableAt: addDays(state.lastActivityAt!, CONSULTATION_TIMEOUT_DAYS),
          },
        );
      }
      return [
        {
          type: 'ConsultationTimedOut',
          data: { staffId: command.staffId, inactiveSince: state.lastActivityAt!, timedOutAt: command.now },
        },
        refundRequested(state, 'consultation_timeout', command.now),
      ];

    case 'RecordRefundConfirmed': {
      const refund = state.refund;
      if (!refund)
        throw new DomainError(
          'conflict',
          'NO_REFUND_REQUESTED',
          'no refund was requested for this consultation',
        );
      if (refund.confirmed) {
        // Stripe resends webhooks; a second, different refund would be money paid out twice.
        if (refund.confirmed.refundId === command.refundId) return [];
        throw new DomainError(
          'conflict',
          'REFUND_ALREADY_CONFIRMED',
          'this consultation was already refunded',
          refund.confirmed,
        );
      }
      if (command.amountPence !== refund.amountPence) {
        throw new DomainError(
          'invalid',
          'REFUND_AMOUNT_MISMATCH',
          'the refunded amount differs from the amount requested',
          {
            requested: refund.amountPence,
            refunded: command.amountPence,
          },
        );
      }
      return [
        {
          type: 'RefundConfirmed',
          data: {
            refundId: command.refundId,
            stripeEventId: command.stripeEventId,
            amountPence: command.amountPence,
            confirmedAt: command.now,
          },
        },
        // Only now is the patient told, so the message can say the money is on its way back.
        {
          type: 'PatientNotificationRequested',
          data: { template: 'refund_confirmed', reason: refund.reason, requestedAt: command.now },
        },
      ];
    }
  }
};
