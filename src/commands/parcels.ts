import { createHash } from 'node:crypto';
import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';

/**
 * Carriers name a parcel only by its tracking number. Each number gets a link stream of its own,
 * `parcel-<hash>`, naming the order or consultation that shipped it: a webhook finds its parcel by
 * reading one stream, on any event-store adapter, with no read model to lag behind and no query
 * into event contents. The link is written **before** the label or dispatch event it announces, so
 * a parcel that is recorded is always found; a link whose event never followed (the command was
 * refused) leads to a stream that does not know the parcel, which the callers check.
 */
export const parcelStream = (trackingNumber: string) =>
  `parcel-${createHash('sha256').update(trackingNumber).digest('hex').slice(0, 40)}`;

export type ParcelLink = { trackingNumber: string; streamName: string };

export const linkParcel = async (
  store: EventStore,
  clock: Clock,
  link: ParcelLink,
  meta: { actor: string; correlationId: string; causationId?: string | null },
): Promise<void> => {
  await store.appendToStream(parcelStream(link.trackingNumber), [
    {
      // The same link is the same event: a retried command appends nothing.
      id: deterministicId('parcel-link', link.trackingNumber, link.streamName),
      type: 'ParcelLinked',
      data: link,
      metadata: {
        correlationId: meta.correlationId,
        causationId: meta.causationId ?? null,
        actor: meta.actor,
        occurredAt: clock.now().toISOString(),
      },
    },
  ]);
};

/** The stream that most recently shipped this tracking number, or null. */
export const findParcel = async (store: EventStore, trackingNumber: string): Promise<ParcelLink | null> => {
  const [latest] = await store.readStream(parcelStream(trackingNumber), {
    direction: 'backwards',
    maxCount: 1,
  });
  return latest ? (latest.data as ParcelLink) : null;
};
