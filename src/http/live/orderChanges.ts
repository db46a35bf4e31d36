import type { OrderStatus } from '../../domain/prescription/orderEvents.js';
import { statusAfter } from '../../domain/prescription/orderState.js';
import type { Batch } from '../../eventstore/postgres/readBatch.js';
import type { EventStore, RecordedEvent, SubscriptionFilter } from '../../eventstore/types.js';
import { streamId } from '../../eventstore/types.js';
import type { OrderChanged } from './protocol.js';

export const ORDER_EVENTS: SubscriptionFilter = { kind: 'categories', categories: ['order'] };

/** Earlier events read, at most, to find the status a status-neutral event left in place. */
const LOOKBACK = 100;

/** The status an event sets, from the order decider's own rule; null when it sets none. */
export const statusSetBy = (event: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): OrderStatus | null => {
  try {
    return statusAfter(event);
  } catch {
    return null; // data of an unexpected shape sets nothing we can tell
  }
};

type Known = { revision: number; status: OrderStatus | null };

/** Orders whose last status the live feed keeps between batches, at most. */
const REMEMBERED_ORDERS = 10_000;

/**
 * The status each order was left in by the last event seen of it: a status-neutral event that
 * follows it needs no read of the stream. Oldest forgotten first.
 */
export type KnownStatuses = Map<string, Known>;

const rememberStatus = (known: KnownStatuses, streamName: string, status: Known) => {
  known.delete(streamName);
  known.set(streamName, status);
  if (known.size > REMEMBERED_ORDERS) known.delete(known.keys().next().value!);
};

/**
 * The order's status after each event. An event that sets none (an integration attempt, an expired
 * payment link) leaves the previous one: known from earlier in the batch, else read from the stream.
 */
const statusesOf = async (store: EventStore, events: readonly RecordedEvent[], known: KnownStatuses) => {
  const statuses: (OrderStatus | null)[] = [];
  for (const event of events) {
    let status = statusSetBy(event);
    if (status === null && event.streamRevision > 0) {
      const previous = known.get(event.streamName);
      status =
        previous?.revision === event.streamRevision - 1
          ? previous.status
          : await statusBefore(store, event.streamName, event.streamRevision);
    }
    rememberStatus(known, event.streamName, { revision: event.streamRevision, status });
    statuses.push(status);
  }
  return statuses;
};

const statusBefore = async (store: EventStore, streamName: string, revision: number) => {
  const earlier = await store.readStream(streamName, {
    direction: 'backwards',
    fromRevision: revision - 1,
    maxCount: LOOKBACK,
  });
  for (const event of earlier) {
    const status = statusSetBy(event);
    if (status !== null) return status;
  }
  return null;
};

/**
 * The batch's events as protocol messages, each carrying its own checkpoint. `known`: the statuses
 * a reader that sees every order event keeps from batch to batch (the shared feed).
 */
export const toOrderChanges = async (
  store: EventStore,
  batch: Batch,
  known: KnownStatuses = new Map(),
): Promise<OrderChanged[]> => {
  const statuses = await statusesOf(store, batch.events, known);
  return batch.events.map((event, i) => ({
    type: 'order-changed',
    checkpoint: { transactionId: batch.transactionIds[i]!, globalPosition: event.globalPosition },
    orderId: streamId(event.streamName),
    eventType: event.type,
    status: statuses[i] ?? null,
    occurredAt: event.metadata.occurredAt,
  }));
};
