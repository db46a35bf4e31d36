import {
  ANY,
  type AppendStreamState,
  BACKWARDS,
  type CurrentStreamState,
  END,
  FORWARDS,
  type KurrentDBClient,
  NO_STREAM,
  type ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '../errors.js';
import {
  type AppendResult,
  assertStreamName,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../types.js';
import { serverFilter } from './kurrentdbSubscriptionSource.js';
import { fromGlobalPosition, toGlobalPosition } from './positions.js';
import { toEventData, toRecordedEvent } from './records.js';

const streamState = (expected: ExpectedRevision): AppendStreamState => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`invalid revision ${expected}`);
      return BigInt(expected);
  }
};

/** The server's revision as the port's: null for no stream (older servers send it as -1). */
const actualRevision = (state: CurrentStreamState): number | null =>
  state === NO_STREAM || state < 0n ? null : Number(state);

/** The stored events of a read, skipping links whose target is gone. */
const recorded = async (read: AsyncIterable<ResolvedEvent>): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of read) if (resolved.event) events.push(toRecordedEvent(resolved.event));
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
};

/**
 * Where an earlier copy of a batch appended with this expectation would be: for an exact or
 * no-stream expectation the revisions it would have taken, otherwise anywhere in the stream.
 */
const whereACopyWouldBe = (expected: ExpectedRevision, count: number): ReadStreamOptions => {
  if (expected === 'no_stream') return { fromRevision: 0, maxCount: count };
  if (typeof expected === 'number') return { fromRevision: expected + 1, maxCount: count };
  return {};
};

/**
 * The EventStore port over KurrentDB. Expected revisions are the server's own. The server also
 * deduplicates by event id, but answers a deduplicated batch as if it had written it, so the adapter
 * looks first (see docs/ARCHITECTURE.md, "KurrentDB"):
 * - before appending, where a copy of the batch would be (`whereACopyWouldBe`): all of its ids there
 *   is a retry, not written; some of them an error;
 * - after a conflict, in the whole stream: a retry expecting another revision than the original.
 * Identical batches appended at once in one process go one after the other, so the second finds the
 * first. Unlike PostgreSQL's, ids are unique per stream, not across streams, and two processes
 * racing with the same batch may both be told they wrote it (the server keeps one copy).
 */
export const createKurrentDBEventStore = (client: KurrentDBClient): EventStore => {
  const inFlight = new Map<string, Promise<AppendResult>>();

  const streamRevision = async (streamName: string): Promise<number | null> => {
    const [last] = await readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return last ? last.streamRevision : null;
  };

  const readStream: EventStore['readStream'] = (streamName, options = {}) => {
    const backwards = options.direction === 'backwards';
    return recorded(
      client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision:
          options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount,
      }),
    );
  };

  /** The answer for a batch already stored where `where` reads, or null when none of it is. */
  const storedCopy = async (
    streamName: string,
    events: readonly EventToAppend[],
    where: ReadStreamOptions,
  ): Promise<AppendResult | null> => {
    const ids = new Set(events.map((e) => e.id));
    const found = (await readStream(streamName, where)).filter((e) => ids.has(e.id));
    if (found.length === 0) return null;
    if (found.length < events.length) {
      throw new Error(
        `append to ${streamName} repeats ${found.length} of ${events.length} event ids: a retry must resend the same batch`,
      );
    }
    const byId = new Map(found.map((e) => [e.id, e.globalPosition]));
    return {
      nextExpectedRevision: (await streamRevision(streamName)) ?? -1,
      lastGlobalPosition: Math.max(...found.map((e) => e.globalPosition)),
      globalPositions: events.map((e) => byId.get(e.id)!),
      written: false,
    };
  };

  const append = async (
    streamName: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> => {
    const copy = await storedCopy(streamName, events, whereACopyWouldBe(expected, events.length));
    if (copy) return copy;
    try {
      const result = await client.appendToStream(streamName, events.map(toEventData), {
        streamState: streamState(expected),
      });
      if (result.position === undefined) {
        throw new Error(`KurrentDB accepted an append to ${streamName} without saying where it wrote it`);
      }
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      const last = toGlobalPosition(result.position);
      // The server says where the last event went; the others' `$all` positions are read back.
      const globalPositions =
        events.length === 1
          ? [last]
          : (
              await readStream(streamName, {
                fromRevision: nextExpectedRevision - events.length + 1,
                maxCount: events.length,
              })
            ).map((e) => e.globalPosition);
      return { nextExpectedRevision, lastGlobalPosition: last, globalPositions, written: true };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const stored = await storedCopy(streamName, events, {});
      if (stored) return stored;
      throw new WrongExpectedRevisionError(streamName, expected, actualRevision(error.actualState));
    }
  };

  return {
    async appendToStream(streamName, events, options = {}) {
      assertStreamName(streamName);
      if (events.length === 0) throw new RangeError('an append needs at least one event');
      const expected = options.expectedRevision ?? 'any';
      streamState(expected); // refuses an invalid revision before anything is read
      const key = `${streamName} ${events.map((e) => e.id).join(' ')}`;
      const earlier = inFlight.get(key);
      const mine = (async () => {
        await earlier?.catch(() => {});
        return append(streamName, events, expected);
      })();
      inFlight.set(key, mine);
      try {
        return await mine;
      } finally {
        if (inFlight.get(key) === mine) inFlight.delete(key);
      }
    },

    readStream,

    readAll(options = {}) {
      return recorded(
        client.readAll({
          fromPosition: fromGlobalPosition(options.fromPosition ?? 0),
          maxCount: options.maxCount,
          // $all also holds the server's own records ($metadata, $statsCollected…): never ours, and
          // no filter of ours lets them through.
          filter: serverFilter(options.filter ?? { kind: 'all' }),
        }),
      );
    },

    streamRevision,
  };
};
