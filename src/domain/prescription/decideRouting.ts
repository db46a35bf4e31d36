import { DomainError } from '../decider.js';
import { decideDrugReview } from './drugReview.js';
import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent } from './orderEvents.js';
import { type OrderState, requireStatus } from './orderState.js';

/** From routing to a chosen pharmacy, including a drug held for a pharmacist's review; null for any other command. */
export const decideRouting = (command: OrderCommand, state: OrderState): OrderEvent[] | null => {
  switch (command.type) {
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

    default:
      return null;
  }
};
