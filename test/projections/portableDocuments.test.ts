import { describe, expect, it } from 'vitest';
import { createMemoryConsumers } from '../../src/eventstore/memory/memoryConsumers.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { incidentDocuments } from '../../src/projections/dashboardDocuments.js';
import { documentSubscriptionId, startDocumentProjection } from '../../src/projections/viewDocuments.js';
import { memoryReadModels } from '../../src/readmodels/memory/memoryReadModels.js';
import { failedStripeCall } from '../support/events.js';

// Document read models (the MongoDB sink's path) on the consumer port, with no PostgreSQL at all:
// events from the in-memory store, the checkpoint kept in the sink with the documents, as the
// store's subscription wrote it.

const failedCall = (triggerEventId: string) => failedStripeCall(triggerEventId, 'document-test');

const trigger = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('a document projection on the consumer port (in-memory store and sink)', () => {
  it('projects what is stored and what comes live, keeps the store’s checkpoint in the sink, and resumes from it', async () => {
    const store = createMemoryEventStore();
    const consumers = createMemoryConsumers(store);
    const models = memoryReadModels();
    const id = documentSubscriptionId(models.sink.name, incidentDocuments);
    await store.appendToStream('order-01M9PORTABLEDOCUMENTS01', [failedCall(trigger(1))]);

    const first = startDocumentProjection(consumers, models.sink, incidentDocuments, { batchSize: 1 });
    await first.drain(10_000);
    await store.appendToStream('order-01M9PORTABLEDOCUMENTS02', [failedCall(trigger(2))]);
    await first.drain(10_000);
    await first.stop();
    expect((await models.reads.openIncidents()).map((i) => i.trigger_event_id).sort()).toEqual([
      trigger(1),
      trigger(2),
    ]);
    const held = await models.sink.checkpoint(id);
    const last = (await store.readAll()).at(-1)!;
    expect(held).toBe(`memory:${last.globalPosition}`);

    // Stopped, then started again: only the new event is folded in; the first documents keep
    // their first version (a repeat would have counted a second attempt).
    await store.appendToStream('order-01M9PORTABLEDOCUMENTS03', [failedCall(trigger(3))]);
    const second = startDocumentProjection(consumers, models.sink, incidentDocuments);
    await second.drain(10_000);
    await second.stop();
    const open = await models.reads.openIncidents();
    expect(open.map((i) => i.trigger_event_id).sort()).toEqual([trigger(1), trigger(2), trigger(3)]);
    expect(open.every((i) => i.attempts === 1)).toBe(true);
  });
});
