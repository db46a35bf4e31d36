import { describe, expect, it } from 'vitest';
import type { OpaqueCheckpoint } from '../../src/eventstore/subscriptions.js';
import { memoryReadModels } from '../../src/readmodels/memory/memoryReadModels.js';

const at = (globalPosition: number) => `pg:1:${globalPosition}` as OpaqueCheckpoint;
const doc = (id: string) => ({ document: { id, view: { id }, version: 1, position: 1 }, fields: {} });

describe('the in-memory read-model sink', () => {
  it('keeps both of two batches committed at once by different projections', async () => {
    const { sink } = memoryReadModels();
    // The incidents projection's batch is still writing when the orders projection's commits, as
    // happens when both read the same events from the shared tail.
    let finishIncidents!: () => void;
    const incidentsWriting = new Promise<void>((resolve) => {
      finishIncidents = resolve;
    });
    const incidents = sink.transact('memory:incidents', { from: undefined, to: at(1) }, async (views) => {
      await views.save('incidents', { put: [doc('incident-1')], removed: [] });
      await incidentsWriting;
    });
    const orders = sink.transact('memory:orders', { from: undefined, to: at(1) }, async (views) => {
      await views.save('orders', { put: [doc('order-1')], removed: [] });
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    finishIncidents();
    await Promise.all([incidents, orders]);
    /** Whether the sink now holds the document: read inside a transaction, as a projection would. */
    const kept = (collection: 'orders' | 'incidents', id: string) =>
      new Promise<boolean>((resolve, reject) => {
        sink
          .transact(`memory:read-${collection}`, { from: undefined, to: at(1) }, async (views) =>
            resolve((await views.load(collection, [id])).has(id)),
          )
          .catch(reject);
      });
    expect(await kept('orders', 'order-1')).toBe(true);
    expect(await kept('incidents', 'incident-1')).toBe(true);
  });
});
