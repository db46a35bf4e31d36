import {
  ANY,
  type AppendStreamState,
  BACKWARDS,
  END,
  excludeSystemEvents,
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
  type RecordedEvent,
} from '../types.js';
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

export const readEventByIdUnsupported = (eventId: string): Error =>
  new Error(
    `readEventById(${eventId}) is not supported on KurrentDB, which keeps no index by event id: read the event by (stream, revision) instead`,
  );

/**
 * The EventStore port over KurrentDB. Expected revisions are the server's own; idempotency is the
 * server's deduplication by event id, completed by the adapter so it answers as the other adapters
 * do (see docs/ARCHITECTURE.md, "Event stores"):
 * - a batch the server deduplicates comes back without a position: reported as not written;
 * - a batch refused for its expected revision is looked for in its stream: when all of its ids are
 *   there (a retry after the stream moved on) it is not written, some of them is an error, none the
 *   conflict.
 * Unlike PostgreSQL, ids are unique per stream, not across streams, and a retry expecting `any`
 * is recognised only while the server still remembers the original (its recent-id cache).
 */
export const createKurrentDBEventStore = (client: KurrentDBClient): EventStore => {
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

  /** The stored copy of a batch the server answered without a position: a deduplicated retry. */
  const alreadyStored = async (
    streamName: string,
    events: readonly EventToAppend[],
  ): Promise<AppendResult | null> => {
    const ids = new Set(events.map((e) => e.id));
    const found = (await readStream(streamName)).filter((e) => ids.has(e.id));
    if (found.length === 0) return null;
    if (found.length < events.length) {
      throw new Error(
        `append to ${streamName} repeats ${found.length} of ${events.length} event ids: a retry must resend the same batch`,
      );
    }
    return {
      nextExpectedRevision: (await streamRevision(streamName)) ?? -1,
      lastGlobalPosition: Math.max(...found.map((e) => e.globalPosition)),
      written: false,
    };
  };

  return {
    async appendToStream(streamName, events, options = {}) {
      assertStreamName(streamName);
      if (events.length === 0) throw new RangeError('an append needs at least one event');
      const expected = options.expectedRevision ?? 'any';
      try {
        const result = await client.appendToStream(streamName, events.map(toEventData), {
          streamState: streamState(expected),
        });
        if (result.position === undefined) {
          const stored = await alreadyStored(streamName, events);
          if (stored) return stored;
          throw new Error(`KurrentDB accepted an append to ${streamName} without saying where it wrote it`);
        }
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          lastGlobalPosition: toGlobalPosition(result.position),
          written: true,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const stored = await alreadyStored(streamName, events);
        if (stored) return stored;
        const actual = error.actualState === NO_STREAM ? null : Number(error.actualState);
        throw new WrongExpectedRevisionError(streamName, expected, actual);
      }
    },

    readStream,

    readAll(options = {}) {
      return recorded(
        client.readAll({
          fromPosition: fromGlobalPosition(options.fromPosition ?? 0),
          maxCount: options.maxCount,
          // $all also holds the server's own records ($metadata, $statsCollected…): not ours.
          filter: excludeSystemEvents(),
        }),
      );
    },

    streamRevision,

    async readEventById(eventId) {
      throw readEventByIdUnsupported(eventId);
    },
  };
};
