import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import { decodeCheckpoint } from '../../src/eventstore/postgres/subscriptionSource.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { DASHBOARD_DOCUMENTS } from '../../src/projections/dashboardDocuments.js';
import { memoryReadModels } from '../../src/readmodels/memory/memoryReadModels.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { failedStripeCall } from '../support/events.js';

const failedCall = (triggerEventId: string) => failedStripeCall(triggerEventId, 'document-test');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const open = async (metrics = createMetrics()) => ({
  metrics,
  platform: await openPlatform({ databaseUrl: db.connectionString, log: silentLogger, metrics }),
});

describe('document read models run by the platform (READ_MODELS=mongodb takes this path with its MongoDB sink)', () => {
  const models = memoryReadModels();
  let running: { platform: Platform; metrics: ReturnType<typeof createMetrics> } | undefined;
  afterAll(() => running?.platform.close());

  it('projects each event into the sink, and shows each document projection’s lag in /metrics', async () => {
    running = await open();
    running.platform.run({ documents: { sink: models.sink, projections: DASHBOARD_DOCUMENTS } });
    await running.platform.store.appendToStream('order-01M9DOCUMENTPROJECTION001', [
      failedCall('00000000-0000-4000-8000-0000000000d1'),
    ]);
    await running.platform.drain();
    expect((await models.reads.openIncidents()).map((i) => i.trigger_event_id)).toEqual([
      '00000000-0000-4000-8000-0000000000d1',
    ]);
    const text = await running.metrics.registry.metrics();
    for (const projection of DASHBOARD_DOCUMENTS)
      expect(text).toMatch(
        new RegExp(`^subscription_lag_events\\{subscription="memory:${projection.name}"\\} 0$`, 'm'),
      );
  });

  it('after a restart, goes on from the checkpoint the sink holds: nothing projected twice, nothing missed', async () => {
    await running!.platform.close();
    running = undefined;
    const before = await models.sink.checkpoints();
    running = await open();
    running.platform.run({ documents: { sink: models.sink, projections: DASHBOARD_DOCUMENTS } });
    await running.platform.store.appendToStream('order-01M9DOCUMENTPROJECTION002', [
      failedCall('00000000-0000-4000-8000-0000000000d2'),
    ]);
    await running.platform.drain();
    const incidents = await models.reads.openIncidents();
    expect(incidents.map((i) => i.trigger_event_id).sort()).toEqual([
      '00000000-0000-4000-8000-0000000000d1',
      '00000000-0000-4000-8000-0000000000d2',
    ]);
    // The first incident's document still has its first version: it was not folded in again.
    expect(incidents.find((i) => i.trigger_event_id.endsWith('d1'))!.attempts).toBe(1);
    const after = await models.sink.checkpoints();
    const incidentsPlace = (list: typeof before) =>
      decodeCheckpoint(list.find((c) => c.subscriptionId === 'memory:integration-incidents')!.checkpoint)
        .globalPosition;
    expect(incidentsPlace(after)).toBeGreaterThan(incidentsPlace(before));
  });
});
