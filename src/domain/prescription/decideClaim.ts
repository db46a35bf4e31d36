import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent } from './orderEvents.js';
import { type OrderState, requireStatus } from './orderState.js';

/** The insurance claim: the payer's answer, a resubmission, a prior authorization received; null for any other command. */
export const decideClaim = (command: OrderCommand, state: OrderState): OrderEvent[] | null => {
  switch (command.type) {
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

    default:
      return null;
  }
};
