import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { integrationIncidentsProjection } from '../../src/projections/integrationIncidents.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Finding 8 at the read model: one order, two vendor calls failing at once (a refund at Stripe,
// a label at Shippo). The recovery of one must leave the other in sight.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

let position = 0;
const event = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: crypto.randomUUID(),
  type,
  data,
  metadata: {
    correlationId: 'c',
    causationId: null,
    actor: 'system:platform',
    occurredAt: new Date().toISOString(),
  },
  streamName: 'order-01JINCIDENTS',
  streamRevision: position,
  globalPosition: ++position,
});

const apply = async (events: RecordedEvent[]) => {
  const client = await db.pool.connect();
  try {
    await integrationIncidentsProjection.applyBatch(client, events);
  } finally {
    client.release();
  }
};

describe('integration incidents', () => {
  it('keeps one row per vendor call: a second failing call does not hide the first, nor its recovery the other', async () => {
    const refund = {
      processManager: 'prescription-refunds',
      triggerEventId: crypto.randomUUID(),
      cycle: '0',
    };
    const label = {
      processManager: 'prescription-shipping',
      triggerEventId: crypto.randomUUID(),
      cycle: '0',
    };
    const failed = (call: typeof refund, integration: string) =>
      event('IntegrationCallFailed', {
        ...call,
        integration,
        attempt: 1,
        error: `${integration} down`,
        nextAttemptAt: new Date().toISOString(),
      });
    await apply([failed(refund, 'stripe'), failed(label, 'shippo')]);
    const open = async () =>
      (
        await db.pool.query<{ integration: string }>(
          "SELECT integration FROM integration_incidents WHERE stream_name = 'order-01JINCIDENTS' ORDER BY integration",
        )
      ).rows.map((r) => r.integration);
    expect(await open()).toEqual(['shippo', 'stripe']);

    await apply([event('IntegrationCallRecovered', { ...refund, integration: null, attempt: 2 })]);
    expect(await open()).toEqual(['shippo']);
  });
});
