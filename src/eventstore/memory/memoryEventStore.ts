import { WrongExpectedRevisionError } from '../errors.js';
import {
  filterMatches,
  type OpaqueCheckpoint,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionSource,
} from '../subscriptions.js';
import {
  assertStreamName,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
  streamCategory,
} from '../types.js';
import { upcast, withSchemaVersion } from '../upcasting.js';

export type MemoryEventStoreOptions = {
  /** Called after an append, as the PostgreSQL adapter calls it after its commit. */
  afterAppend?: (hint: { categories: readonly string[]; eventTypes: readonly string[] }) => void;
};

/** What an event is once stored: data and metadata as JSON keeps them, never shared with the caller. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const accepts = (expected: ExpectedRevision, current: number | null): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === null;
    case 'stream_exists':
      return current !== null;
    default:
      if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`invalid revision ${expected}`);
      return current === expected;
  }
};

const CHECKPOINT = /^memory:(\d+)$/;

const encodeCheckpoint = (globalPosition: number) => `memory:${globalPosition}` as OpaqueCheckpoint;

const decodeCheckpoint = (checkpoint: OpaqueCheckpoint | undefined): number => {
  if (checkpoint === undefined) return 0;
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new RangeError(`"${checkpoint}" is not an in-memory event store checkpoint`);
  return Number(match[1]);
};

export type MemoryEventStore = EventStore & SubscriptionSource;

/** The checkpoint just past an event of the in-memory store (its subscriptions pass every event). */
export const memoryCheckpointOf = (event: Pick<RecordedEvent, 'globalPosition'>): OpaqueCheckpoint =>
  encodeCheckpoint(event.globalPosition);

/** The global position an in-memory store checkpoint stands at. */
export const memoryPositionOf = (checkpoint: OpaqueCheckpoint): number => decodeCheckpoint(checkpoint);

/**
 * The event store and subscription ports in memory, for fast unit tests of deciders, command handlers and process
 * managers. It keeps the PostgreSQL adapter's contract exactly (the same suite runs against both):
 * expected revisions, idempotent appends by event id, one global order. An append is atomic because
 * it never awaits between its check and its write.
 */
export const createMemoryEventStore = (options: MemoryEventStoreOptions = {}): MemoryEventStore => {
  const all: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const byId = new Map<string, RecordedEvent>();
  const appendListeners = new Set<() => void>();

  const revisionOf = (streamName: string): number | null => {
    const stream = streams.get(streamName);
    return stream && stream.length > 0 ? stream.length - 1 : null;
  };

  const copy = (event: RecordedEvent): RecordedEvent => upcast(stored(event));

  return {
    async appendToStream(streamName, events: readonly EventToAppend[], appendOptions = {}) {
      assertStreamName(streamName);
      if (events.length === 0) throw new RangeError('an append needs at least one event');
      const expected = appendOptions.expectedRevision ?? 'any';
      const current = revisionOf(streamName);
      const repeated = events.map((e) => byId.get(e.id)).filter((e) => e !== undefined);
      if (repeated.length === events.length) {
        return {
          nextExpectedRevision: current ?? -1,
          lastGlobalPosition: Math.max(...repeated.map((e) => e.globalPosition)),
          globalPositions: repeated.map((e) => e.globalPosition),
          written: false,
        };
      }
      if (repeated.length > 0) {
        throw new Error(
          `append to ${streamName} repeats ${repeated.length} of ${events.length} event ids: a retry must resend the same batch`,
        );
      }
      if (!accepts(expected, current)) throw new WrongExpectedRevisionError(streamName, expected, current);
      const stream = streams.get(streamName) ?? [];
      streams.set(streamName, stream);
      for (const event of events) {
        const recorded: RecordedEvent = {
          id: event.id,
          type: event.type,
          data: stored(event.data),
          metadata: stored(withSchemaVersion(event).metadata),
          streamName,
          streamRevision: stream.length,
          globalPosition: all.length + 1,
        };
        stream.push(recorded);
        all.push(recorded);
        byId.set(recorded.id, recorded);
      }
      for (const listener of appendListeners) listener();
      options.afterAppend?.({
        categories: [streamCategory(streamName)],
        eventTypes: [...new Set(events.map((e) => e.type))],
      });
      return {
        nextExpectedRevision: stream.length - 1,
        lastGlobalPosition: all.length,
        globalPositions: stream.slice(-events.length).map((e) => e.globalPosition),
        written: true,
      };
    },

    async readStream(streamName, readOptions = {}) {
      const stream = streams.get(streamName) ?? [];
      const backwards = readOptions.direction === 'backwards';
      const from = readOptions.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
      const chosen = backwards
        ? stream.filter((e) => e.streamRevision <= from).reverse()
        : stream.filter((e) => e.streamRevision >= from);
      return chosen.slice(0, readOptions.maxCount ?? chosen.length).map(copy);
    },

    async readAll(readOptions = {}) {
      const from = readOptions.fromPosition ?? 0;
      const filter = readOptions.filter ?? { kind: 'all' };
      const chosen = all.filter(
        (e) =>
          e.globalPosition >= from &&
          filterMatches(filter, { categories: [streamCategory(e.streamName)], eventTypes: [e.type] }),
      );
      return chosen.slice(0, readOptions.maxCount ?? chosen.length).map(copy);
    },

    async streamRevision(streamName) {
      return revisionOf(streamName);
    },

    subscribe: (subscribeOptions) => subscribe(subscribeOptions),
    compareCheckpoints: (a, b) => decodeCheckpoint(a) - decodeCheckpoint(b),
  };

  /**
   * Catch-up then live: one loop reads every event after its position (all of them, so the
   * checkpoint passes what the filter skips), hands over the matching ones, and sleeps until the
   * next append. A failing handler gets the same batch again after a short pause.
   */
  function subscribe(subscribeOptions: SubscribeOptions): Subscription {
    const batchSize = subscribeOptions.batchSize ?? 1_000;
    let position = decodeCheckpoint(subscribeOptions.from);
    let stopped = false;
    let wake: () => void = () => {};
    const progress = new Set<() => void>();
    const onAppend = () => wake();
    appendListeners.add(onAppend);

    const sleep = (ms?: number) =>
      new Promise<void>((resolve) => {
        const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    const running = (async () => {
      while (!stopped) {
        const next = all.slice(position, position + batchSize);
        if (next.length === 0) {
          await sleep();
          continue;
        }
        const last = next.at(-1)!.globalPosition;
        const matching = next.filter((e) =>
          filterMatches(subscribeOptions.filter, {
            categories: [streamCategory(e.streamName)],
            eventTypes: [e.type],
          }),
        );
        try {
          await subscribeOptions.handle({
            events: matching.map(copy),
            eventCheckpoints: matching.map((e) => encodeCheckpoint(e.globalPosition)),
            checkpoint: encodeCheckpoint(last),
          });
          position = last;
          for (const listener of progress) listener();
        } catch {
          await sleep(100);
        }
      }
    })();

    return {
      async drain(timeoutMs = 30_000) {
        const target = all.length;
        if (position >= target) return;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            progress.delete(check);
            reject(new Error(`subscription ${subscribeOptions.name} did not reach ${target}`));
          }, timeoutMs);
          function check() {
            if (position < target) return;
            clearTimeout(timer);
            progress.delete(check);
            resolve();
          }
          progress.add(check);
        });
      },
      async stop() {
        stopped = true;
        appendListeners.delete(onAppend);
        wake();
        await running;
      },
    };
  }
};
