import type { RecordedEvent } from '../../eventstore/types.js';
import { ordersAwaitingDrug } from '../../projections/catalogue/drugCatalogue.js';
import { ordersProjection } from '../../projections/orders/ordersProjection.js';
import { type Reactor, reactor } from '../reactor.js';
import type { ProcessContext } from '../runtime.js';
import type { PrescriptionProcessDeps } from './deps.js';

/** How the catalogue stands for one NDC right now, from its own stream (never behind a read model). */
const storageClassOf = async (deps: PrescriptionProcessDeps, ndc11: string) =>
  (await deps.catalogue.load(ndc11))?.storageClass ?? null;

const release = (
  deps: PrescriptionProcessDeps,
  orderId: string,
  ndc11: string,
  storageClass: NonNullable<Awaited<ReturnType<typeof storageClassOf>>>,
  context: ProcessContext,
  trigger: RecordedEvent,
) =>
  deps.commands.execute(
    orderId,
    { type: 'ClearDrugReview', ndc11, storageClass },
    {
      actor: 'system:drug-review',
      commandId: context.commandId(`release:${orderId}`),
      causationId: trigger.id,
      correlationId: trigger.metadata.correlationId,
    },
  );

/**
 * Releases orders held for a drug once a pharmacist has classified it; routing then takes them on.
 * A classification and a hold can cross: handling the hold looks at the drug's own stream, and
 * handling the classification reads held orders no older than it, so one of the two always sees
 * the other.
 */
export const drugReviewProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-drug-review',
    handles: ['DrugAdded', 'DrugClassified', 'DrugReviewRequired'],
    async handle(event, context) {
      if (event.type === 'DrugReviewRequired') {
        const { ndc11 } = event.data;
        const storageClass = await storageClassOf(deps, ndc11);
        if (storageClass)
          await release(deps, event.streamName.slice('order-'.length), ndc11, storageClass, context, event);
        return;
      }
      // A product imported unclassified frees nothing: no read for each row of a directory import.
      if (event.type === 'DrugAdded' && !event.data.drug.storageClass) return;
      const ndc11 = event.type === 'DrugAdded' ? event.data.drug.ndc11 : event.data.ndc11;
      const storageClass = await storageClassOf(deps, ndc11);
      if (!storageClass) return;
      await context.readModelCaughtUp(ordersProjection);
      for (const orderId of await ordersAwaitingDrug(deps.pool, ndc11))
        await release(deps, orderId, ndc11, storageClass, context, event);
    },
  });
