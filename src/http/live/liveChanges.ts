import type { Batch } from '../../eventstore/postgres/readBatch.js';
import type { SubscriptionFilter } from '../../eventstore/types.js';
import { type EventStore, streamId } from '../../eventstore/types.js';
import { type KnownStatuses, toOrderChanges } from './orderChanges.js';
import type { ConsultationChanged, LiveChange } from './protocol.js';

/** What the live feed carries: prescription orders and UK consultations. */
export const LIVE_EVENTS: SubscriptionFilter = { kind: 'categories', categories: ['order', 'consultation'] };

const ORDER_CATEGORY = 'order-';

/**
 * The batch's events as protocol messages, in the batch's order. Order changes carry the order's
 * status; a consultation change says which consultation moved, for the queues to read it again.
 */
export const toLiveChanges = async (
  store: EventStore,
  batch: Batch,
  known?: KnownStatuses,
): Promise<LiveChange[]> => {
  const isOrder = batch.events.map((event) => event.streamName.startsWith(ORDER_CATEGORY));
  const orders = await toOrderChanges(
    store,
    {
      events: batch.events.filter((_, i) => isOrder[i]),
      transactionIds: batch.transactionIds.filter((_, i) => isOrder[i]),
      checkpoint: batch.checkpoint,
    },
    known,
  );
  let nextOrder = 0;
  return batch.events.map((event, i): LiveChange => {
    if (isOrder[i]) return orders[nextOrder++]!;
    return {
      type: 'consultation-changed',
      checkpoint: { transactionId: batch.transactionIds[i]!, globalPosition: event.globalPosition },
      consultationId: streamId(event.streamName),
      eventType: event.type,
      occurredAt: event.metadata.occurredAt,
    } satisfies ConsultationChanged;
  });
};
