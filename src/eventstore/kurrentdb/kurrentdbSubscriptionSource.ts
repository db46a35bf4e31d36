import {
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  BACKWARDS,
  END,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  type KurrentDBClient,
  type Position,
  START,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import type { SubscribeOptions, Subscription, SubscriptionSource } from '../subscriptions.js';
import type { SubscriptionFilter } from '../types.js';
import { decodeCheckpoint, encodeCheckpoint, isAfter } from './positions.js';
import { toRecordedEvent } from './records.js';

/** A failed handler or a dropped connection is tried again after this pause. */
const RETRY_MS = 100;
/** How often a drain looks again while the subscription is still short of its target. */
const DRAIN_POLL_MS = 50;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type CheckpointReached = NonNullable<Filter['checkpointReached']>;

/**
 * The port's filters as server-side `$all` filters: a category is the stream-name prefix
 * `<category>-`, event types an exact-match regex, and `all` every event but the server's own.
 */
export const serverFilter = (filter: SubscriptionFilter, checkpointReached?: CheckpointReached): Filter => {
  switch (filter.kind) {
    case 'all':
      return excludeSystemEvents({ checkpointReached });
    case 'categories':
      return streamNameFilter({ prefixes: filter.categories.map((c) => `${c}-`), checkpointReached });
    case 'eventTypes':
      return eventTypeFilter({
        regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`,
        checkpointReached,
      });
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Up to `max` events the subscription has already received, without waiting for more. */
const takeBuffered = (subscription: AllStreamSubscription, max: number): AllStreamRecordedEvent[] => {
  const taken: AllStreamRecordedEvent[] = [];
  while (taken.length < max) {
    const resolved = subscription.read() as { event?: AllStreamRecordedEvent } | null;
    if (resolved === null) break;
    if (resolved.event) taken.push(resolved.event);
  }
  return taken;
};

/**
 * Watches a subscription for more to read, and for its end: an error or a close is kept (an
 * 'error' nobody listens to would crash the process) and thrown at the next wait.
 */
const watch = (subscription: AllStreamSubscription) => {
  let failure: Error | undefined;
  let wake = () => {};
  const fail = (error: Error) => {
    failure ??= error;
    wake();
  };
  subscription.on('error', fail).on('close', () => fail(new Error('the $all subscription closed')));
  return {
    wake: () => wake(),
    /** Resolves when there is more to read or `wake` is called; rejects once the subscription failed. */
    next: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        const settle = () => {
          subscription.off('readable', settle);
          if (failure) reject(failure);
          else resolve();
        };
        wake = settle;
        subscription.on('readable', settle);
      }),
  };
};

/**
 * The subscription port over KurrentDB's catch-up subscription to `$all`: the server reads what is
 * stored after the checkpoint and then goes on live on the same gRPC stream, so there is no gap and
 * no repeat between the two. Batches are what the subscription has received when the previous
 * batch is handled, one at a time. The checkpoint moves past filtered-out events in two ways:
 * the server's filter checkpoints (handed over as empty batches once every event before them is
 * handled) and `drain`, which hands over the end of `$all` once no matching event is left before it.
 */
export const createKurrentDBSubscriptionSource = (
  client: KurrentDBClient,
  log: (line: string) => void = () => {},
): SubscriptionSource => ({
  subscribe: (options) => subscribe(client, log, options),
  compareCheckpoints: (a, b) => {
    const [x, y] = [decodeCheckpoint(a), decodeCheckpoint(b)];
    if (x && isAfter(x, y)) return 1;
    return y && isAfter(y, x) ? -1 : 0;
  },
});

function subscribe(
  client: KurrentDBClient,
  log: (line: string) => void,
  options: SubscribeOptions,
): Subscription {
  const batchSize = options.batchSize ?? 1_000;
  let handled = decodeCheckpoint(options.from);
  let serverCheckpoint: Position | undefined;
  let stopped = false;
  let current: { subscription: AllStreamSubscription; wake(): void } | undefined;
  let handling: Promise<void> = Promise.resolve();
  const progress = new Set<() => void>();

  /** Hands a batch to the handler, one at a time, until it takes it; never moves the checkpoint back. */
  const deliver = (events: AllStreamRecordedEvent[], position: Position) => {
    handling = handling.then(async () => {
      while (!stopped && isAfter(position, handled)) {
        try {
          await options.handle({
            events: events.map(toRecordedEvent),
            eventCheckpoints: events.map((event) => encodeCheckpoint(event.position!)),
            checkpoint: encodeCheckpoint(position),
          });
          handled = position;
          for (const listener of progress) listener();
        } catch (error) {
          log(`subscription ${options.name}: handler failed, retrying: ${(error as Error).message}`);
          await pause(RETRY_MS);
        }
      }
    });
    return handling;
  };

  const filter = (checkpointReached?: CheckpointReached) => serverFilter(options.filter, checkpointReached);

  const pump = async (subscription: AllStreamSubscription, signals: ReturnType<typeof watch>) => {
    while (!stopped) {
      const events = takeBuffered(subscription, batchSize);
      if (events.length > 0) {
        await deliver(events, events.at(-1)!.position);
      } else if (serverCheckpoint && isAfter(serverCheckpoint, handled)) {
        // Every event before the server's checkpoint was in the buffer just emptied: all handled.
        await deliver([], serverCheckpoint);
      } else {
        await signals.next();
      }
    }
  };

  /** One connection: subscribes after the handled position and delivers until it fails or stops. */
  const connectAndPump = async () => {
    // A checkpoint of an earlier connection may pass events this one has yet to deliver.
    serverCheckpoint = undefined;
    const subscription = client.subscribeToAll({
      fromPosition: handled ?? START,
      filter: filter((from, position) => {
        if (from !== subscription) return;
        serverCheckpoint = position;
        signals.wake();
      }),
    });
    const signals = watch(subscription);
    current = { subscription, wake: signals.wake };
    try {
      await pump(subscription, signals);
    } finally {
      await subscription.unsubscribe().catch(() => {});
    }
  };

  const running = (async () => {
    while (!stopped) {
      try {
        await connectAndPump();
      } catch (error) {
        if (stopped) break;
        log(
          `subscription ${options.name}: $all subscription dropped, resubscribing: ${(error as Error).message}`,
        );
        await pause(RETRY_MS);
      }
    }
  })();

  /** The position of the last record in `$all`, or undefined while it is empty. */
  const endOfAll = async (): Promise<Position | undefined> => {
    for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      return resolved.event?.position;
    }
    return undefined;
  };

  /** The first event after the handled position that the filter lets through, if any. */
  const nextMatching = async (): Promise<Position | undefined> => {
    const from = handled;
    for await (const resolved of client.readAll({
      fromPosition: from ?? START,
      maxCount: 2,
      filter: filter(),
    })) {
      const position = resolved.event?.position;
      if (position && isAfter(position, from)) return position;
    }
    return undefined;
  };

  return {
    async drain(timeoutMs = 30_000) {
      const target = await endOfAll();
      if (target === undefined) return;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
      }, timeoutMs);
      try {
        while (isAfter(target, handled)) {
          if (timedOut)
            throw new Error(`subscription ${options.name} did not reach ${encodeCheckpoint(target)}`);
          const next = await nextMatching();
          if (next === undefined || isAfter(next, target)) {
            // Nothing the filter wants lies before the target: pass the skipped events.
            await deliver([], target);
            return;
          }
          await new Promise<void>((resolve) => {
            const done = () => {
              progress.delete(done);
              resolve();
            };
            progress.add(done);
            setTimeout(done, DRAIN_POLL_MS);
          });
        }
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      stopped = true;
      current?.wake();
      await current?.subscription.unsubscribe().catch(() => {});
      await running;
      await handling;
    },
  };
}
