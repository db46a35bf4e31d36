import { PassThrough } from 'node:stream';
import type {
  AllStreamRecordedEvent,
  AllStreamSubscription,
  Filter,
  KurrentDBClient,
  Position,
  ReadAllOptions,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';

// A stand-in for the KurrentDB client's `$all`: what the adapter's subscription and `readAll` ask
// of it, in memory, with the server's filter checkpoints. What a real server sends is the
// subscription contract's to prove (test/eventstore/subscriptionContract.test.ts).

/** The `$all` position of the n-th event appended to the stand-in. */
export const at = (n: number): Position => ({ commit: BigInt(n * 100), prepare: BigInt(n * 100) });
const after = (a: Position, b: Position | undefined) => b === undefined || a.commit > b.commit;

const matches = (filter: Filter | undefined, event: AllStreamRecordedEvent) => {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? event.streamId : event.type;
  return 'prefixes' in filter
    ? filter.prefixes.some((p) => subject.startsWith(p))
    : new RegExp(filter.regex).test(subject);
};

/** `$all` in memory: a subscription gets the stored events after its position, then each append. */
export const standInClient = () => {
  const log: AllStreamRecordedEvent[] = [];
  const live = new Set<{ stream: PassThrough; filter?: Filter; subscription: AllStreamSubscription }>();
  const client = {
    subscribeToAll({ fromPosition, filter }: SubscribeToAllOptions = {}) {
      const stream = new PassThrough({ objectMode: true });
      const subscription = Object.assign(stream, {
        unsubscribe: async () => {
          live.delete(entry);
          stream.destroy();
        },
      }) as unknown as AllStreamSubscription;
      const entry = { stream, filter, subscription };
      const from = typeof fromPosition === 'object' ? fromPosition : undefined;
      for (const event of log)
        if (after(event.position, from) && matches(filter, event)) stream.write({ event });
      live.add(entry);
      return subscription;
    },
    async *readAll({ fromPosition, maxCount, filter, direction }: ReadAllOptions = {}) {
      const ordered = direction === 'backwards' ? [...log].reverse() : log;
      const from = typeof fromPosition === 'object' ? fromPosition : undefined;
      let count = 0;
      for (const event of ordered) {
        if (count === (maxCount ?? Number.MAX_SAFE_INTEGER)) return;
        if (from && event.position.commit < from.commit) continue;
        if (!matches(filter, event)) continue;
        count += 1;
        yield { event };
      }
    },
  };
  const append = async (streamId: string, type = 'SomethingHappened') => {
    const event = {
      streamId,
      id: `${log.length + 1}`,
      type,
      revision: 0n,
      isJson: true,
      created: new Date(0),
      data: { n: log.length + 1 },
      metadata: { correlationId: 'c', causationId: null, actor: 'test', occurredAt: '2026-01-01T00:00:00Z' },
      position: at(log.length + 1),
    } as AllStreamRecordedEvent;
    log.push(event);
    for (const { stream, filter, subscription } of live) {
      if (matches(filter, event)) stream.write({ event });
      // As the server does for a filtered subscription: a checkpoint after events it skipped.
      else await filter?.checkpointReached?.(subscription, event.position);
    }
  };
  /** The server goes away: every open subscription fails. */
  const dropConnections = () => {
    for (const { stream } of live) stream.destroy(new Error('connection reset'));
    live.clear();
  };
  return { client: client as unknown as KurrentDBClient, append, dropConnections };
};
