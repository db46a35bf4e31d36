import type { RecordedEvent, SubscriptionFilter } from './types.js';

/**
 * Where a subscription stands, as the adapter wrote it. Callers store it and hand it back
 * unchanged; only the adapter that issued it can read it (PostgreSQL: transaction id and global
 * position; in memory: a global position; KurrentDB: a commit/prepare `$all` position).
 */
export type OpaqueCheckpoint = string & { readonly __opaqueCheckpoint: unique symbol };

export type DeliveredBatch = {
  /** The next matching events, in the order the store guarantees for catch-up readers. */
  events: RecordedEvent[];
  /**
   * Where to resume once the events up to each one are handled, one per event in the same order: a
   * consumer that finishes a batch in parts stores how far it got.
   */
  eventCheckpoints: OpaqueCheckpoint[];
  /**
   * Where to resume once these events are handled. It may pass events the filter skipped, so a
   * batch can be empty: store its checkpoint all the same.
   */
  checkpoint: OpaqueCheckpoint;
};

export type SubscribeOptions = {
  /** A name for the logs. */
  name: string;
  filter: SubscriptionFilter;
  /** Resume after this checkpoint; from the first event when absent. */
  from?: OpaqueCheckpoint;
  /** Called for one batch at a time; the next batch waits until it resolves. */
  handle(batch: DeliveredBatch): Promise<void>;
  batchSize?: number;
};

export type Subscription = {
  /** Resolves once every event appended before the call has been handled. */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The subscription port: a catch-up subscription reads what is stored after its checkpoint, then
 * goes on live with what is appended, with no gap and no repeat between the two.
 */
export type SubscriptionSource = {
  subscribe(options: SubscribeOptions): Subscription;
  /**
   * Orders two of this adapter's checkpoints: negative when `a` comes first, 0 when they are the
   * same place. Absent stands for the start, before every event.
   */
  compareCheckpoints(a: OpaqueCheckpoint | undefined, b: OpaqueCheckpoint | undefined): number;
};

/** What a filter asks about an event or an append: its categories and event types. */
export type FilterSubject = { categories: readonly string[]; eventTypes: readonly string[] };

export const filterMatches = (filter: SubscriptionFilter, subject: FilterSubject): boolean => {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'categories':
      return subject.categories.some((c) => filter.categories.includes(c));
    case 'eventTypes':
      return subject.eventTypes.some((t) => filter.eventTypes.includes(t));
  }
};
