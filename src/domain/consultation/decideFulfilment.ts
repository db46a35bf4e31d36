import { DomainError } from '../decider.js';
import type { CommandOf } from './consultationCommands.js';
import type { ConsultationEvent } from './consultationEvents.js';
import type { ConsultationState, Supply } from './consultationState.js';
import { productOf, refundRequested, requireStatus } from './guards.js';

export type FulfilmentCommand = CommandOf<
  | 'RecordGpLetterSent'
  | 'RecordPmrSynced'
  | 'RecordSlipPrinted'
  | 'PackSupply'
  | 'RecordShipment'
  | 'RecordTracking'
  | 'ResolveDeliveryFailure'
>;

const supplyOf = (state: ConsultationState): Supply => {
  if (!state.supply)
    throw new DomainError('conflict', 'INVALID_STATUS', 'no supply is queued at the pharmacy');
  return state.supply;
};

export const decideFulfilment = (
  command: FulfilmentCommand,
  state: ConsultationState,
): ConsultationEvent[] => {
  switch (command.type) {
    case 'RecordGpLetterSent':
      if (state.gpLetter === 'sent') return [];
      if (state.gpLetter !== 'requested') {
        throw new DomainError(
          'conflict',
          'GP_LETTER_NOT_REQUESTED',
          'no GP letter is due before the treatment is authorised',
        );
      }
      return [{ type: 'GpLetterSent', data: { letterId: command.letterId, sentAt: command.now } }];

    case 'RecordPmrSynced':
      if (state.pmrSynced) return [];
      requireStatus(state, ['prescribed'], 'sync the patient record');
      return [
        {
          type: 'PmrSynced',
          data: { pmrPatientId: command.pmrPatientId, method: command.method, syncedAt: command.now },
        },
      ];

    case 'RecordSlipPrinted': {
      // A reprint, at any later stage, changes nothing.
      if (state.supply?.slipId === command.slipId) return [];
      requireStatus(state, ['dispatch_pending'], 'print a dispensing slip');
      const supply = supplyOf(state);
      return [
        {
          type: 'DispensingSlipPrinted',
          data: { supplyNumber: supply.number, slipId: command.slipId, printedAt: command.now },
        },
      ];
    }

    case 'PackSupply': {
      requireStatus(state, ['dispatch_pending'], 'pack the order');
      const supply = supplyOf(state);
      if (supply.packed) return [];
      // The GP hears of the treatment before the patient receives it.
      if (state.gpLetter !== 'sent') {
        throw new DomainError(
          'conflict',
          'GP_NOT_NOTIFIED',
          'the GP letter must be sent before the order is dispatched',
        );
      }
      if (!supply.slipId)
        throw new DomainError('conflict', 'SLIP_NOT_PRINTED', 'print the dispensing slip before packing');
      // Overlapping supply is the pharmacy's call too, and it must be made knowingly.
      if (state.flags.renewalOverlap && !command.acknowledgeRenewalOverlap) {
        throw new DomainError(
          'invalid',
          'RENEWAL_OVERLAP_NOT_ACKNOWLEDGED',
          'this renewal overlaps a plan that is still active; confirm overlapping supply is appropriate',
          state.flags.renewalOverlap,
        );
      }
      if (command.stockOnHand < 1) {
        return [
          {
            type: 'DispatchBlockedOutOfStock',
            data: {
              supplyNumber: supply.number,
              productId: productOf(state).productId,
              stockOnHand: command.stockOnHand,
              blockedAt: command.now,
            },
          },
        ];
      }
      return [
        {
          type: 'SupplyPacked',
          data: {
            supplyNumber: supply.number,
            staffId: command.staffId,
            renewalOverlapAcknowledged: state.flags.renewalOverlap !== null,
            packedAt: command.now,
          },
        },
      ];
    }

    case 'RecordShipment': {
      if (state.supply?.shipmentId === command.shipmentId) return [];
      requireStatus(state, ['dispatch_pending'], 'dispatch the order');
      const supply = supplyOf(state);
      if (!supply.packed)
        throw new DomainError(
          'conflict',
          'NOT_PACKED',
          'a shipment is created only after the order is packed',
        );
      return [
        {
          type: 'OrderDispatched',
          data: {
            supplyNumber: supply.number,
            shipmentId: command.shipmentId,
            trackingNumber: command.trackingNumber,
            service: command.service,
            coldChain: productOf(state).coldChain,
            dispatchedAt: command.now,
          },
        },
      ];
    }

    case 'RecordTracking': {
      // Only a parcel on its way is tracked; an update after delivery or failure is a late echo.
      if (state.status !== 'dispatched' || !state.supply) return [];
      const { supply } = state;
      if (supply.lastTrackingAt && Date.parse(command.statusAt) < Date.parse(supply.lastTrackingAt))
        return [];
      const { source, details, statusAt } = command;
      if (command.status === 'delivered') {
        return [
          { type: 'SupplyDelivered', data: { supplyNumber: supply.number, source, deliveredAt: statusAt } },
        ];
      }
      if (command.status === 'failed' || command.status === 'returned') {
        return [
          {
            type: 'DeliveryFailed',
            data: { supplyNumber: supply.number, outcome: command.status, source, details, statusAt },
          },
        ];
      }
      return [
        {
          type: 'TrackingUpdated',
          data: { supplyNumber: supply.number, status: command.status, source, details, statusAt },
        },
      ];
    }

    case 'ResolveDeliveryFailure': {
      requireStatus(state, ['delivery_failed'], 'resolve a failed delivery');
      if (state.refund) {
        throw new DomainError(
          'conflict',
          'REFUND_ALREADY_REQUESTED',
          'this failed delivery is already being refunded',
        );
      }
      const supply = supplyOf(state);
      const { staffId, note, now } = command;
      switch (command.action) {
        case 'redispatch':
          return [
            {
              type: 'RedispatchRequested',
              data: { supplyNumber: supply.number, staffId, note, requestedAt: now },
            },
          ];
        case 'contact_patient':
          return [
            {
              type: 'PatientContactedAboutDelivery',
              data: { supplyNumber: supply.number, staffId, note, contactedAt: now },
            },
          ];
        case 'refund':
          // Only the month that never arrived is refunded; earlier months were delivered.
          return [
            refundRequested(
              state,
              'delivery_failed',
              now,
              state.charges.filter((c) => c.number === supply.number),
            ),
          ];
      }
    }
  }
};
