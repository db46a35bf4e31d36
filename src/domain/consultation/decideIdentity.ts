import type { CommandOf } from './consultationCommands.js';
import type { ConsultationEvent } from './consultationEvents.js';
import type { ConsultationState } from './consultationState.js';
import { refundRequested, requireStatus } from './guards.js';

export type IdentityCommand = CommandOf<'RecordIdVerification' | 'UploadIdDocument' | 'RecordManualIdReview'>;

/** Phase 4: LexisNexis first; on a fail, a document upload and a person's review; still failing, a refund. */
export const decideIdentity = (command: IdentityCommand, state: ConsultationState): ConsultationEvent[] => {
  switch (command.type) {
    case 'RecordIdVerification': {
      // The same check reported twice (a retried call) is one check.
      if (state.idCheckReferences.includes(command.reference)) return [];
      requireStatus(state, ['awaiting_id_verification'], 'record an identity check');
      const { reference, now } = command;
      return command.outcome === 'pass'
        ? [{ type: 'IdentityVerified', data: { method: 'electronic', reference, verifiedAt: now } }]
        : [
            { type: 'IdentityCheckFailed', data: { reference, failedAt: now } },
            { type: 'IdDocumentRequested', data: { requestedAt: now } },
          ];
    }

    case 'UploadIdDocument':
      requireStatus(state, ['id_document_requested'], 'upload an identity document');
      return [{ type: 'IdDocumentUploaded', data: { document: command.document, uploadedAt: command.now } }];

    case 'RecordManualIdReview': {
      requireStatus(state, ['id_manual_review'], 'review the identity document');
      const { reviewerId, now } = command;
      return command.outcome === 'pass'
        ? [{ type: 'IdentityVerified', data: { method: 'manual', reference: reviewerId, verifiedAt: now } }]
        : [
            { type: 'IdentityRejected', data: { reviewerId, reason: command.reason, rejectedAt: now } },
            refundRequested(state, 'id_check_failed', now),
          ];
    }
  }
};
