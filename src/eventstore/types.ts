/**
 * The event store port. Semantics follow EventStoreDB/KurrentDB so another adapter can sit behind it
 * without touching domain code: streams named `<category>-<id>`, optimistic concurrency by expected
 * revision, idempotent appends by event id, reads by stream and by global position.
 */

export type EventMetadata = {
  correlationId: string;
  causationId: string | null;
  actor: string;
  occurredAt: string;
  /** Id of the command that produced the event, so a repeated command is answered, not re-applied. */
  commandId?: string;
  [key: string]: unknown;
};

export type RecordedEvent<Type extends string = string, Data = unknown> = {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  streamName: string;
  streamRevision: number;
  globalPosition: number;
};

export type EventToAppend<Type extends string = string, Data = unknown> = {
  /** A UUID. Derive it from the cause (see `deterministicId`) so a retried append is a no-op. */
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
};

/** `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its exact last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type AppendResult = {
  /** Revision of the last event of the stream after the append. */
  nextExpectedRevision: number;
  /** Global position of the last appended (or already stored) event. */
  lastGlobalPosition: number;
  /**
   * The global position of each event of the batch, in the batch's order (as stored, for a batch
   * already stored). Positions need not be consecutive: other writers' events may fall between.
   */
  globalPositions: number[];
  /** False when every event id was already stored: the append was a retry and changed nothing. */
  written: boolean;
};

export type ReadStreamOptions = {
  direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
};

export type SubscriptionFilter =
  | { kind: 'all' }
  | { kind: 'categories'; categories: readonly string[] }
  | { kind: 'eventTypes'; eventTypes: readonly string[] };

export type ReadAllOptions = {
  fromPosition?: number;
  /** At most this many events of those the filter lets through. */
  maxCount?: number;
  /** Only the events of these categories or types (every adapter filters on its side). */
  filter?: SubscriptionFilter;
};

export type EventStore = {
  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Last revision of a stream, or null when it does not exist. */
  streamRevision(streamName: string): Promise<number | null>;
};

/**
 * An event found by its id within the stream it belongs to, or null: reads the stream (an order's
 * or a consultation's is tens of events), so it works on every adapter — KurrentDB has no lookup by
 * event id — and a caller that names the wrong stream finds nothing.
 */
export const findEvent = async (
  store: Pick<EventStore, 'readStream'>,
  streamName: string,
  eventId: string,
): Promise<RecordedEvent | null> =>
  (await store.readStream(streamName)).find((event) => event.id === eventId) ?? null;

const STREAM_NAME = /^[a-z][a-zA-Z0-9]*-[A-Za-z0-9_.:-]+$/;

/** Every adapter refuses the same names: `<category>-<id>`, the category a lower-case word. */
export const assertStreamName = (streamName: string): void => {
  if (!STREAM_NAME.test(streamName)) {
    throw new RangeError(`stream name "${streamName}" is not <category>-<id>`);
  }
};

export const streamCategory = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
};

export const streamId = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? '' : streamName.slice(dash + 1);
};
