import type { DrugHandling, StorageClass } from '../catalogue/drug.js';
import type { OrderEvent } from './orderEvents.js';
import type { OrderState } from './orderState.js';

/**
 * Before an order routes, the catalogue must say how its drug is kept. An NDC it does not know, or
 * one nobody has classified, stops the order for a pharmacist: nothing is assumed to be ambient.
 */
export type DrugReviewCommand =
  | {
      type: 'HoldForDrugReview';
      ndc11: string;
      reason: 'not_in_catalogue' | 'no_storage_class';
      message: string;
    }
  | { type: 'ClearDrugReview'; ndc11: string; storageClass: StorageClass }
  | { type: 'RecordRoutingBlocked'; reason: 'empty_network' | 'no_eligible_pharmacy'; message: string };

export type DrugReview = Extract<DrugReviewCommand, { type: 'HoldForDrugReview' }>;

/** Why this drug cannot be routed yet, or null when its catalogue entry is complete. */
export const drugReviewNeeded = (
  ndc11: string,
  entry: Pick<DrugHandling, 'storageClass'> | null,
): DrugReview | null => {
  if (!entry)
    return {
      type: 'HoldForDrugReview',
      ndc11,
      reason: 'not_in_catalogue',
      message: `NDC ${ndc11} is not in the drug catalogue: a pharmacist must add and classify it before the order can be routed`,
    };
  if (!entry.storageClass)
    return {
      type: 'HoldForDrugReview',
      ndc11,
      reason: 'no_storage_class',
      message: `NDC ${ndc11} has no storage class: a pharmacist must classify it (ambient, refrigerated or frozen) before the order can be routed`,
    };
  return null;
};

/** Holds and releases are answers to the router and the catalogue: late or repeated ones change nothing. */
export const decideDrugReview = (command: DrugReviewCommand, state: OrderState): OrderEvent[] => {
  switch (command.type) {
    case 'HoldForDrugReview':
      if (state.status !== 'awaiting_routing' || state.normalisedNdc !== command.ndc11) return [];
      return [
        {
          type: 'DrugReviewRequired',
          data: { ndc11: command.ndc11, reason: command.reason, message: command.message },
        },
      ];
    case 'ClearDrugReview':
      if (state.status !== 'awaiting_drug_review' || state.normalisedNdc !== command.ndc11) return [];
      return [
        { type: 'DrugReviewCleared', data: { ndc11: command.ndc11, storageClass: command.storageClass } },
      ];
    case 'RecordRoutingBlocked':
      if (state.status !== 'awaiting_routing') return [];
      return [{ type: 'RoutingBlocked', data: { reason: command.reason, message: command.message } }];
  }
};
