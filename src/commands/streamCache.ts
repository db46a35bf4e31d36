import type { EventStore, RecordedEvent } from '../eventstore/types.js';
import { deepFreeze } from '../platform/deepFreeze.js';

/**
 * The streams this process read or wrote last, each as its whole history (revisions 0…n): a command
 * decides on the remembered history and appends with that revision as the expected one, so a stream
 * nobody else wrote since costs the command its append alone. Remembered history is only ever a
 * guess: the store refuses an append made on a stale one and the command reads the stream again
 * (`createCommandHandler`), so a stale entry costs a round trip, never a wrong event.
 */
export type StreamCache = {
  get(streamName: string): readonly RecordedEvent[] | undefined;
  /** Remembers a history read whole, or a history and what this process appended to it. */
  remember(streamName: string, history: readonly RecordedEvent[]): void;
};

export const STREAM_CACHE_CAPACITY = 1_000;

export const createStreamCache = (capacity = STREAM_CACHE_CAPACITY): StreamCache => {
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const streams = new Map<string, readonly RecordedEvent[]>();
  return {
    get(streamName) {
      const history = streams.get(streamName);
      if (!history) return undefined;
      streams.delete(streamName);
      streams.set(streamName, history);
      return history;
    },
    remember(streamName, history) {
      // Only a whole history, in order: a partial read (maxCount, from a revision) is not one.
      if (history.some((event, index) => event.streamRevision !== index)) return;
      streams.delete(streamName);
      // Frozen: the deciders fold the same objects again and again, and must never change them.
      streams.set(streamName, deepFreeze([...history]));
      while (streams.size > capacity) streams.delete(streams.keys().next().value!);
    },
  };
};

/**
 * A stream's whole history as it stands in the store, reading only the events after the remembered
 * ones: streams only grow, so what was remembered is still their start. An order's process managers
 * load it a dozen times, and each read of the whole stream parsed every event again.
 */
export const readCurrent = async (
  store: Pick<EventStore, 'readStream'>,
  cache: StreamCache,
  streamName: string,
): Promise<readonly RecordedEvent[]> => {
  const known = cache.get(streamName) ?? [];
  const newer = await store.readStream(streamName, { fromRevision: known.length });
  if (newer.length === 0) return known;
  // Revisions have no gaps, so the first newer event follows the known ones; were it not so, the
  // remembered history would be no start of the stream, and the whole stream is read instead.
  const history =
    newer[0]!.streamRevision === known.length ? [...known, ...newer] : await store.readStream(streamName);
  cache.remember(streamName, history);
  return history;
};
