import type { Decider } from '../decider.js';
import type { ConsultationCommand } from './consultationCommands.js';
import type { ConsultationEvent } from './consultationEvents.js';
import { type ConsultationState, evolve, initialState } from './consultationState.js';
import { decideCheckout } from './decideCheckout.js';
import { decideExceptions } from './decideExceptions.js';
import { decideFulfilment } from './decideFulfilment.js';
import { decideIdentity } from './decideIdentity.js';
import { decideIntake } from './decideIntake.js';
import { decidePlan } from './decidePlan.js';
import { decideReview } from './decideReview.js';

export type { ActivePlan, ConsultationCommand, PriorSubmission } from './consultationCommands.js';
export type { ConsultationState } from './consultationState.js';
export {
  gracePeriodEndsAt,
  isRenewalOverlap,
  monthlyChargeSchedule,
  priceOf,
  twelveMonthLimitReached,
} from './plan.js';

/**
 * The UK consultation-led flow, from product page to the end of a plan: each phase's rules live
 * in its own decideX file, routed here by command type.
 */
const decide = (command: ConsultationCommand, state: ConsultationState): ConsultationEvent[] => {
  switch (command.type) {
    case 'StartConsultation':
    case 'SaveAnswers':
    case 'SendDraftReminder':
    case 'FlagInactiveDraft':
    case 'AbandonDraft':
    case 'SubmitQuestionnaire':
      return decideIntake(command, state);
    case 'ChoosePlan':
    case 'RecordCheckoutStarted':
    case 'RecordPaymentCaptured':
    case 'RecordPaymentFailed':
      return decideCheckout(command, state);
    case 'RecordIdVerification':
    case 'UploadIdDocument':
    case 'RecordManualIdReview':
      return decideIdentity(command, state);
    case 'QueueForReview':
    case 'ApproveTreatment':
    case 'RequestMoreInformation':
    case 'RecordPatientReply':
    case 'DenyTreatment':
    case 'RecordPrescriptionCreated':
    case 'RecordPrescriptionSigned':
      return decideReview(command, state);
    case 'RecordGpLetterSent':
    case 'RecordPmrSynced':
    case 'RecordSlipPrinted':
    case 'PackSupply':
    case 'RecordShipment':
    case 'RecordTracking':
    case 'ResolveDeliveryFailure':
      return decideFulfilment(command, state);
    case 'RecordInstalmentCharge':
    case 'CancelRemainingInstalments':
    case 'CompletePlan':
    case 'RequestRenewal':
    case 'ExpireAnswers':
      return decidePlan(command, state);
    case 'RequestCancellation':
    case 'CancelConsultation':
    case 'RejectTimedOut':
    case 'RecordRefundConfirmed':
      return decideExceptions(command, state);
  }
};

export const consultationDecider: Decider<ConsultationState, ConsultationCommand, ConsultationEvent> = {
  decide,
  evolve,
  initialState,
};

export const consultationStream = (consultationId: string) => `consultation-${consultationId}`;
