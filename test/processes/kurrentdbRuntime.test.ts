import { describe, expect, it } from 'vitest';
import { createKurrentDBConsumers } from '../../src/eventstore/kurrentdb/kurrentdbConsumers.js';
import { createKurrentDBEventStore } from '../../src/eventstore/kurrentdb/kurrentdbEventStore.js';
import { createKurrentDBSubscriptionSource } from '../../src/eventstore/kurrentdb/kurrentdbSubscriptionSource.js';
import { encodeCheckpoint } from '../../src/eventstore/kurrentdb/positions.js';
import { createMemoryCheckpoints } from '../../src/eventstore/memory/memoryCheckpoints.js';
import { createMemoryLeases } from '../../src/eventstore/memory/memoryLeases.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createProcessRuntime, type ProcessManager } from '../../src/processes/runtime.js';
import { at, standInClient } from '../support/kurrentdbStandIn.js';
import { portableProcessDeps } from '../support/processDeps.js';

// Process managers on KurrentDB's `$all` subscription: the KurrentDB adapter's subscription source
// under the generic consumer, against the client stand-in (no server runs here). The checkpoint is
// KurrentDB's own `$all` position, kept by the consumer's checkpoint store.

describe('the process runtime on a KurrentDB subscription (client stand-in), through the generic consumer', () => {
  it('delivers each event once, each stream in order, and resumes from the stored $all position', async () => {
    const { client, append } = standInClient();
    for (let i = 0; i < 12; i += 1) await append(`order-${i % 3}`);
    await append('payment-1'); // another category: passed, never delivered
    const store = createKurrentDBEventStore(client);
    const checkpoints = createMemoryCheckpoints();
    const runtimeOnKurrentDB = () =>
      createProcessRuntime(
        portableProcessDeps(
          createKurrentDBConsumers(client, { leases: createMemoryLeases(), checkpoints, log: silentLogger }),
          store,
        ),
      );
    const seen: { stream: string; n: number }[] = [];
    const pm: ProcessManager = {
      name: 'kurrentdb-orders',
      filter: { kind: 'categories', categories: ['order'] },
      async handle(event) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push({ stream: event.streamName, n: (event.data as { n: number }).n });
      },
    };
    const inOrder = (stream: string) => seen.filter((s) => s.stream === stream).map((s) => s.n);

    const first = runtimeOnKurrentDB().start(pm, { batchSize: 5, width: 3 });
    await first.drain(10_000);
    await first.stop();
    expect(seen).toHaveLength(12);
    expect(inOrder('order-0')).toEqual([1, 4, 7, 10]);
    expect(inOrder('order-1')).toEqual([2, 5, 8, 11]);
    expect(inOrder('order-2')).toEqual([3, 6, 9, 12]);
    const stored = checkpoints.all().get('process:kurrentdb-orders');
    expect(stored).toBeDefined();
    expect(
      createKurrentDBSubscriptionSource(client).compareCheckpoints(stored, encodeCheckpoint(at(12))),
    ).toBeGreaterThanOrEqual(0);

    for (let i = 0; i < 3; i += 1) await append(`order-${i}`);
    const second = runtimeOnKurrentDB().start(pm, { batchSize: 5, width: 3 });
    await second.drain(10_000);
    await second.stop();
    expect(seen).toHaveLength(15);
    expect(
      seen
        .slice(12)
        .map((s) => s.n)
        .sort((a, b) => a - b),
    ).toEqual([14, 15, 16]);
  });
});
