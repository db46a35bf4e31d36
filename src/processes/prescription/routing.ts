import { drugReviewNeeded } from '../../domain/prescription/drugReview.js';
import type { OrderCommand } from '../../domain/prescription/order.js';
import { NETWORK_EVENT_TYPES } from '../../domain/routing/pharmacy.js';
import { rankPharmacies } from '../../domain/routing/rank.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import { findDrug } from '../../projections/catalogue/drugCatalogue.js';
import { drugCatalogueProjection } from '../../projections/catalogue/drugCatalogueProjection.js';
import { ordersWaitingForNetwork } from '../../projections/orders/orderQueries.js';
import { ordersProjection } from '../../projections/orders/ordersProjection.js';
import { pharmaciesProjection } from '../../projections/pharmacies.js';
import { loadRoutableNetwork } from '../../projections/pharmacyQueries.js';
import { type Reactor, reactor } from '../reactor.js';
import type { ProcessContext } from '../runtime.js';
import type { PrescriptionProcessDeps } from './deps.js';

export const EMPTY_NETWORK_MESSAGE =
  'The pharmacy network is empty: no order can be routed until pharmacies are added ' +
  '(Pharmacies page, or `npm run cli -- import-pharmacies <file.csv>`). The order waits and routes by itself once there are.';

type Outcome = 'recommended' | 'held' | 'blocked' | 'waiting' | 'not_routable';

/**
 * Routes one order: its drug must be classified in the catalogue (else it is held for a pharmacist),
 * then the network is filtered on what must hold and scored on what is better. With no pharmacy to
 * offer, the order stays in awaiting_routing with the reason recorded; `blockedAs` is the reason
 * already recorded, so a still-blocked order gains no second identical event.
 */
const routeOrder = async (
  deps: PrescriptionProcessDeps,
  orderId: string,
  trigger: RecordedEvent,
  context: ProcessContext,
  blockedAs: string | null,
): Promise<Outcome> => {
  const state = await deps.commands.load(orderId);
  if (state.status !== 'awaiting_routing' || !state.prescription || !state.normalisedNdc)
    return 'not_routable';
  const issue = (command: OrderCommand) =>
    deps.commands.execute(orderId, command, {
      actor: 'system:routing',
      commandId: context.commandId(`${command.type}:${orderId}`),
      causationId: trigger.id,
      correlationId: trigger.metadata.correlationId,
    });

  const ndc11 = state.normalisedNdc;
  const drug = await findDrug(deps.pool, ndc11);
  const review = drugReviewNeeded(ndc11, drug);
  if (review || !drug?.storageClass) {
    if (review) await issue(review);
    return 'held';
  }

  const network = await loadRoutableNetwork(deps.pool);
  const address = state.prescription.patient.address;
  const plan = state.insurance ? { bin: state.insurance.bin, pcn: state.insurance.pcn } : null;
  const recommendations = rankPharmacies(network, {
    patientState: address?.state ?? '',
    patientPostalCode: address?.postalCode,
    plan,
    drug: {
      ndc11,
      storageClass: drug.storageClass,
      specialty: drug.specialty,
      limitedDistribution: drug.limitedDistribution,
    },
  });
  if (recommendations.length > 0) {
    await issue({ type: 'RecommendPharmacies', recommendations });
    return 'recommended';
  }
  const active = network.filter((pharmacy) => pharmacy.status === 'active').length;
  if ((active === 0 ? 'empty_network' : 'no_eligible_pharmacy') === blockedAs) return 'waiting';
  await issue(
    active === 0
      ? { type: 'RecordRoutingBlocked', reason: 'empty_network', message: EMPTY_NETWORK_MESSAGE }
      : {
          type: 'RecordRoutingBlocked',
          reason: 'no_eligible_pharmacy',
          message:
            `None of the ${active} active pharmacies can fill it: each must be licensed in ${address?.state ?? 'the patient’s state'}, ` +
            `${plan ? `in network for BIN ${plan.bin} / PCN ${plan.pcn}, ` : ''}` +
            `able to store ${drug.storageClass} drugs${drug.specialty ? ', a specialty pharmacy' : ''}` +
            `${drug.limitedDistribution ? ` with access to ${drug.limitedDistribution}` : ''}. ` +
            'The order routes by itself once the network has such a pharmacy.',
        },
  );
  return 'blocked';
};

/**
 * Ranks the network for each enrolled order (and again once a pharmacist has classified its drug).
 * Orders no pharmacy could take are looked at again whenever the network changes; the routing
 * reads the catalogue and the network no older than the event in hand.
 */
export const routingProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-routing',
    handles: ['EnrollmentCompleted', 'DrugReviewCleared', 'RoutingBlocked', ...NETWORK_EVENT_TYPES],
    async handle(event, context) {
      const routingReadModels = async () => {
        await context.readModelCaughtUp(drugCatalogueProjection);
        await context.readModelCaughtUp(pharmaciesProjection);
        await context.readModelCaughtUp(ordersProjection);
      };
      if (event.streamName.startsWith('order-')) {
        await routingReadModels();
        // Handling a block looks again at a network that may have changed since it was recorded.
        const blockedAs = event.type === 'RoutingBlocked' ? event.data.reason : null;
        await routeOrder(deps, event.streamName.slice('order-'.length), event, context, blockedAs);
        return;
      }
      // A network change: in a burst (an import) only the last one looks, and it sees every order the
      // earlier ones would have found. Orders blocked after it re-check when their block is handled.
      if (await context.laterEventOfType(NETWORK_EVENT_TYPES)) return;
      await context.readModelCaughtUp(ordersProjection);
      const waiting = await ordersWaitingForNetwork(deps.pool);
      if (waiting.length === 0) return;
      await routingReadModels();
      for (const order of waiting) await routeOrder(deps, order.orderId, event, context, order.reason);
    },
  });
