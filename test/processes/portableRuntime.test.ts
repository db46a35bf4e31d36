import { describe, expect, it } from 'vitest';
import type { CheckpointStore } from '../../src/eventstore/consumers.js';
import type { Leases } from '../../src/eventstore/leases.js';
import { createMemoryCheckpoints } from '../../src/eventstore/memory/memoryCheckpoints.js';
import { createMemoryConsumers } from '../../src/eventstore/memory/memoryConsumers.js';
import {
  createMemoryEventStore,
  type MemoryEventStore,
  memoryCheckpointOf,
} from '../../src/eventstore/memory/memoryEventStore.js';
import { createMemoryLeases } from '../../src/eventstore/memory/memoryLeases.js';
import type { OpaqueCheckpoint } from '../../src/eventstore/subscriptions.js';
import { deterministicId } from '../../src/platform/ids.js';
import { createProcessRuntime, type ProcessManager } from '../../src/processes/runtime.js';
import { echoProcess } from '../support/echoProcess.js';
import { portableProcessDeps } from '../support/processDeps.js';

// The process runtime runs on the Consumers port, not on PostgreSQL: here on the in-memory store,
// its subscriptions, leases and checkpoints, through the generic consumer KurrentDB would use too.

const runtimeOn = (store: MemoryEventStore, checkpoints: CheckpointStore, leases = createMemoryLeases()) => {
  return createProcessRuntime(
    portableProcessDeps(createMemoryConsumers(store, { leases, checkpoints }), store),
  );
};

/** Leases whose holder can be asked to give one back (another instance wants a share of the work). */
const askableLeases = (inner: Leases) => {
  const askers = new Map<string, () => void>();
  const leases: Leases = {
    acquire(name, holder) {
      const lease = inner.acquire(name, holder);
      let asked = false;
      const lost = new Promise<void>((resolve) => {
        void lease.acquired.then(
          () =>
            askers.set(name, () => {
              asked = true;
              resolve();
            }),
          () => {},
        );
      });
      return { ...lease, lost, isHeld: () => lease.isHeld() && !asked };
    },
  };
  return { ...leases, askBack: (name: string) => askers.get(name)?.() };
};

const appendTicks = async (store: MemoryEventStore, streams: number, ticks: number, firstSeq = 0) => {
  for (let seq = firstSeq; seq < firstSeq + ticks; seq++) {
    for (let s = 0; s < streams; s++) {
      await store.appendToStream(`src-${s}`, [
        {
          id: deterministicId('tick', s, seq),
          type: 'Tick',
          data: { seq },
          metadata: {
            correlationId: 'c',
            causationId: null,
            actor: 'test',
            occurredAt: new Date().toISOString(),
          },
        },
      ]);
    }
  }
};

/** Every echo stream's sequence numbers, in stream order. */
const echoes = async (store: MemoryEventStore, streams: number) =>
  Promise.all(
    Array.from({ length: streams }, async (_, s) =>
      (await store.readStream(`echo-${s}`)).map((e) => (e.data as { seq: number }).seq),
    ),
  );

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('the process runtime on the Consumers port (in-memory store)', () => {
  it('delivers every event once, streams side by side and each in order, and stores the checkpoint', async () => {
    const store = createMemoryEventStore();
    const checkpoints = createMemoryCheckpoints();
    await appendTicks(store, 6, 10);
    const delivered = new Map<string, number[]>();
    let inFlight = 0;
    let widest = 0;
    const runner = runtimeOn(store, checkpoints).start(
      echoProcess(store, {
        async onDeliver(stream, seq) {
          inFlight += 1;
          widest = Math.max(widest, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          delivered.set(stream, [...(delivered.get(stream) ?? []), seq]);
          inFlight -= 1;
        },
      }),
      { width: 4, batchSize: 20 },
    );
    await runner.drain(10_000);
    await runner.stop();

    expect([...delivered.keys()].sort()).toEqual(upTo(6).map((s) => `src-${s}`));
    for (const seqs of delivered.values()) expect(seqs).toEqual(upTo(10));
    expect(widest).toBeGreaterThan(1);
    expect(await echoes(store, 6)).toEqual(upTo(6).map(() => upTo(10)));
    const last = (await store.readAll({ filter: { kind: 'categories', categories: ['src'] } })).at(-1)!;
    const stored = checkpoints.all().get('process:echo');
    expect(
      store.compareCheckpoints(stored, `memory:${last.globalPosition}` as OpaqueCheckpoint),
    ).toBeGreaterThanOrEqual(0);
  });

  it('started again, resumes from the stored checkpoint: only what came meanwhile is delivered', async () => {
    const store = createMemoryEventStore();
    const checkpoints = createMemoryCheckpoints();
    await appendTicks(store, 3, 5);
    const first = runtimeOn(store, checkpoints).start(echoProcess(store));
    await first.drain(10_000);
    await first.stop();

    await appendTicks(store, 3, 5, 5);
    const second: string[] = [];
    const runner = runtimeOn(store, checkpoints).start(
      echoProcess(store, {
        async onDeliver(stream, seq) {
          second.push(`${stream}:${seq}`);
        },
      }),
    );
    await runner.drain(10_000);
    await runner.stop();

    expect(second.sort()).toEqual(
      [0, 1, 2].flatMap((s) => [5, 6, 7, 8, 9].map((seq) => `src-${s}:${seq}`)).sort(),
    );
    expect(await echoes(store, 3)).toEqual([upTo(10), upTo(10), upTo(10)]);
  });

  it('a batch interrupted before its checkpoint is delivered again from the stored one: no event skipped, no effect repeated', async () => {
    const store = createMemoryEventStore();
    const memory = createMemoryCheckpoints();
    // The third checkpoint write fails, as a crash between the effects and the checkpoint would.
    let writes = 0;
    const checkpoints: CheckpointStore = {
      load: (id) => memory.load(id),
      reset: (id) => memory.reset(id),
      async store(id, from, to, options) {
        writes += 1;
        if (writes === 3) throw new Error('connection lost before the checkpoint');
        await memory.store(id, from, to, options);
      },
    };
    await appendTicks(store, 4, 6);
    const deliveries = new Map<string, number>();
    const runner = runtimeOn(store, checkpoints).start(
      echoProcess(store, {
        async onDeliver(stream, seq) {
          deliveries.set(`${stream}:${seq}`, (deliveries.get(`${stream}:${seq}`) ?? 0) + 1);
        },
      }),
      { batchSize: 5 },
    );
    await runner.drain(10_000);
    await runner.stop();

    expect(writes).toBeGreaterThan(3);
    expect(deliveries.size).toBe(24);
    // The failed batch's events came again …
    expect([...deliveries.values()].filter((n) => n > 1).length).toBeGreaterThan(0);
    // … and their effects, keyed by their trigger, were answered, not repeated.
    expect(await echoes(store, 4)).toEqual(upTo(4).map(() => upTo(6)));
  });

  it('a second instance waits for the lease and carries on from the first one’s checkpoint', async () => {
    const store = createMemoryEventStore();
    const checkpoints = createMemoryCheckpoints();
    const leases = createMemoryLeases();
    const seen: string[] = [];
    const pm = (label: string) =>
      echoProcess(store, {
        async onDeliver(stream, seq) {
          seen.push(`${label}:${stream}:${seq}`);
        },
      });
    await appendTicks(store, 2, 3);
    const first = runtimeOn(store, checkpoints, leases).start(pm('a'), { holder: 'a' });
    const second = runtimeOn(store, checkpoints, leases).start(pm('b'), { holder: 'b' });
    await first.drain(10_000);
    await first.stop();
    await appendTicks(store, 2, 3, 3);
    await second.drain(10_000);
    await second.stop();

    expect(seen.filter((s) => s.startsWith('a:')).length).toBe(6);
    expect(seen.filter((s) => s.startsWith('b:')).sort()).toEqual(
      ['src-0', 'src-1'].flatMap((stream) => [3, 4, 5].map((seq) => `b:${stream}:${seq}`)).sort(),
    );
    expect(await echoes(store, 2)).toEqual([upTo(6), upTo(6)]);
  });

  it('hands the work over when its lease is asked back mid-batch: the batch in hand ends first, then the next holder goes on from its checkpoint', async () => {
    const store = createMemoryEventStore();
    const checkpoints = createMemoryCheckpoints();
    const leases = askableLeases(createMemoryLeases());
    await appendTicks(store, 2, 10);
    const inFlight = { a: 0, b: 0 };
    let overlapped = false;
    const delivered = { a: [] as string[], b: [] as string[] };
    const pm = (label: 'a' | 'b') =>
      echoProcess(store, {
        async onDeliver(stream, seq) {
          inFlight[label] += 1;
          if (inFlight.a > 0 && inFlight.b > 0) overlapped = true;
          // The third tick of src-0 is being handled when the lease is asked back.
          if (label === 'a' && stream === 'src-0' && seq === 2) leases.askBack('process:echo');
          await new Promise((resolve) => setTimeout(resolve, 2));
          delivered[label].push(`${stream}:${seq}`);
          inFlight[label] -= 1;
        },
      });
    const first = runtimeOn(store, checkpoints, leases).start(pm('a'), { holder: 'a', batchSize: 6 });
    const second = runtimeOn(store, checkpoints, leases).start(pm('b'), { holder: 'b', batchSize: 6 });
    await second.drain(10_000);
    await Promise.all([first.stop(), second.stop()]);

    expect(overlapped).toBe(false);
    // The first holder finished the batch it had (six ticks) and took no other.
    expect(delivered.a).toHaveLength(6);
    expect(delivered.b).toHaveLength(14);
    expect(new Set([...delivered.a, ...delivered.b]).size).toBe(20);
    expect(await echoes(store, 2)).toEqual([upTo(10), upTo(10)]);
  });

  it('reports each consumer’s lag from its stored checkpoint, the start for one that has none yet', async () => {
    const store = createMemoryEventStore();
    await appendTicks(store, 2, 3);
    const consumers = createMemoryConsumers(store);
    const [before] = await consumers.lags(['process:counter']);
    expect(before).toMatchObject({ subscriptionId: 'process:counter', events: 6 });
    expect(before!.seconds).toBeGreaterThanOrEqual(0);

    let handled = 0;
    const counter: ProcessManager = {
      name: 'counter',
      filter: { kind: 'categories', categories: ['src'] },
      async handle() {
        handled += 1;
      },
    };
    const runner = createProcessRuntime(portableProcessDeps(consumers, store)).start(counter);
    await runner.drain(10_000);
    await runner.stop();
    expect(handled).toBe(6);
    expect(await consumers.lags(['process:counter'])).toEqual([
      { subscriptionId: 'process:counter', events: 0, seconds: 0 },
    ]);
    // A sink's consumer standing after the fourth event has two to go.
    const fourth = (await store.readAll())[3]!;
    const [sink] = await consumers.lagsAt([
      { subscriptionId: 'memory:view', checkpoint: memoryCheckpointOf(fourth) },
    ]);
    expect(sink!.events).toBe(2);
  });

  it('tells a delivery whether a later event of a type follows it, from the store’s global order', async () => {
    const store = createMemoryEventStore();
    const answers: boolean[] = [];
    const pm: ProcessManager = {
      name: 'last-one',
      filter: { kind: 'eventTypes', eventTypes: ['Tick'] },
      async handle(_event, context) {
        answers.push(await context.laterEventOfType(['Tick']));
      },
    };
    await appendTicks(store, 3, 1);
    const runner = runtimeOn(store, createMemoryCheckpoints()).start(pm, { width: 1 });
    await runner.drain(10_000);
    await runner.stop();
    expect(answers).toEqual([true, true, false]);
  });
});
