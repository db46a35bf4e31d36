import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createKurrentDBSubscriptionSource } from '../../src/eventstore/kurrentdb/kurrentdbSubscriptionSource.js';
import type { DeliveredBatch, OpaqueCheckpoint, Subscription } from '../../src/eventstore/subscriptions.js';
import { waitFor } from '../support/events.js';
import { standInClient } from '../support/kurrentdbStandIn.js';

// The adapter's own delivery logic (batches, checkpoints past filtered-out events, drain, retries,
// resume) against a stand-in for the client's `$all` stream. What a real server sends is the
// subscription contract's to prove (test/eventstore/subscriptionContract.test.ts).

describe('KurrentDB subscription delivery', () => {
  const running: Subscription[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  const start = (
    client: KurrentDBClient,
    from?: OpaqueCheckpoint,
    handle: (batch: DeliveredBatch) => Promise<void> = async () => {},
  ) => {
    const batches: DeliveredBatch[] = [];
    const subscription = createKurrentDBSubscriptionSource(client).subscribe({
      name: 'delivery',
      filter: { kind: 'categories', categories: ['order'] },
      from,
      batchSize: 2,
      async handle(batch) {
        await handle(batch);
        batches.push(batch);
      },
    });
    running.push(subscription);
    const seen = () => batches.flatMap((b) => b.events.map((e) => e.data as { n: number }).map((d) => d.n));
    return { batches, seen, subscription };
  };

  it('given stored events, then it catches up in batches of its size and goes on live, each batch checkpointed at its last event', async () => {
    const { client, append } = standInClient();
    for (let i = 0; i < 3; i += 1) await append('order-1');
    const { batches, seen, subscription } = start(client);
    await subscription.drain();
    await append('order-1');
    await waitFor(() => seen().length === 4, 5_000, 'the live event');
    expect(seen()).toEqual([1, 2, 3, 4]);
    expect(batches.every((b) => b.events.length <= 2)).toBe(true);
    expect(batches.at(-1)!.checkpoint).toBe('kurrentdb:400/400');
    expect(batches.flatMap((b) => b.eventCheckpoints)).toEqual(
      [1, 2, 3, 4].map((n) => `kurrentdb:${n}00/${n}00`),
    );
  });

  it('orders its checkpoints by $all position, commit then prepare, with the start before every one', () => {
    const { client } = standInClient();
    const { compareCheckpoints } = createKurrentDBSubscriptionSource(client);
    const cp = (commit: number, prepare: number) => `kurrentdb:${commit}/${prepare}` as OpaqueCheckpoint;
    expect(compareCheckpoints(cp(100, 100), cp(200, 200))).toBeLessThan(0);
    expect(compareCheckpoints(cp(200, 150), cp(200, 100))).toBeGreaterThan(0);
    expect(compareCheckpoints(cp(300, 300), cp(300, 300))).toBe(0);
    expect(compareCheckpoints(undefined, cp(100, 100))).toBeLessThan(0);
    expect(compareCheckpoints(cp(100, 100), undefined)).toBeGreaterThan(0);
    expect(compareCheckpoints(undefined, undefined)).toBe(0);
  });

  it('given only events its filter skips, then the server checkpoint and drain move it past them in empty batches', async () => {
    const { client, append } = standInClient();
    const { batches, subscription } = start(client);
    await append('payment-1');
    await waitFor(() => batches.length === 1, 5_000, 'the server checkpoint');
    expect(batches[0]).toEqual({ events: [], eventCheckpoints: [], checkpoint: 'kurrentdb:100/100' });
    await subscription.stop();

    const quiet = standInClient();
    await quiet.append('payment-1');
    const drained = start(quiet.client);
    await drained.subscription.drain();
    expect(drained.batches).toEqual([{ events: [], eventCheckpoints: [], checkpoint: 'kurrentdb:100/100' }]);
  });

  it('given a handler that fails once, then the same batch comes again and nothing is skipped', async () => {
    const { client, append } = standInClient();
    await append('order-1');
    let failures = 0;
    const { seen, subscription } = start(client, undefined, async () => {
      if (failures++ === 0) throw new Error('read model unavailable');
    });
    await subscription.drain();
    expect(failures).toBe(2);
    expect(seen()).toEqual([1]);
  });

  it('given a dropped connection, then it resubscribes after what it handled, without a gap or a repeat', async () => {
    const { client, append, dropConnections } = standInClient();
    await append('order-1');
    const { seen, subscription } = start(client);
    await subscription.drain();
    dropConnections();
    await append('order-1');
    await append('order-1');
    await waitFor(() => seen().length >= 3, 5_000, 'the events after the drop');
    await subscription.drain();
    expect(seen()).toEqual([1, 2, 3]);
  });

  it('given a checkpoint it handed out, then a new subscription resumes after it', async () => {
    const { client, append } = standInClient();
    await append('order-1');
    await append('order-2');
    const first = start(client);
    await first.subscription.drain();
    await first.subscription.stop();
    await append('order-3');
    const resumed = start(client, first.batches.at(-1)!.checkpoint);
    await resumed.subscription.drain();
    expect(resumed.seen()).toEqual([3]);
  });
});
