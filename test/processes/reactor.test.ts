import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { type EventOf, reactor } from '../../src/processes/reactor.js';
import type { ProcessContext } from '../../src/processes/runtime.js';

const recorded = (type: string, streamName: string, data: unknown): RecordedEvent => ({
  id: crypto.randomUUID(),
  type,
  data,
  streamName,
  streamRevision: 0,
  globalPosition: 1,
  metadata: { correlationId: 'c', causationId: null, actor: 'test', occurredAt: '2026-12-04T00:00:00Z' },
});
const context = {} as ProcessContext;

describe('process managers as typed reactors', () => {
  it('subscribe to the types they handle, and get each with the data of its type', async () => {
    const seen: string[] = [];
    const pm = reactor({
      name: 'test-refunds',
      categories: ['order'],
      handles: ['RefundRequested', 'OrderCancelled'],
      async handle(event: EventOf<'RefundRequested' | 'OrderCancelled', 'order'>) {
        // `event.type` narrows `event.data`: no cast.
        seen.push(event.type === 'RefundRequested' ? event.data.refundId : event.data.reason);
      },
    });
    expect(pm.filter).toEqual({ kind: 'eventTypes', eventTypes: ['RefundRequested', 'OrderCancelled'] });
    expect(pm.canHandle('RefundRequested')).toBe(true);
    expect(pm.canHandle('PaymentReceived')).toBe(false);

    await pm.handle(recorded('RefundRequested', 'order-A', { refundId: 'R1' }), context);
    await pm.handle(recorded('OrderCancelled', 'order-A', { reason: 'patient asked' }), context);
    // Not a type it handles, and a type it handles in another flow's stream: neither reaches it.
    await pm.handle(recorded('PaymentReceived', 'order-A', {}), context);
    await pm.handle(recorded('RefundRequested', 'consultation-B', { paymentIntentIds: [] }), context);
    expect(seen).toEqual(['R1', 'patient asked']);
  });
});
