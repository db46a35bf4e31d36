import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Projection } from '../../src/projections/runtime.js';
import type { DocumentProjection } from '../../src/projections/viewDocuments.js';
import { memoryReadModels } from '../../src/readmodels/memory/memoryReadModels.js';
import { apiClient, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

const METRICS_TOKEN = 'scraper-token-for-tests-0123456789abcdef';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ env: { METRICS_TOKEN } });
}, 120_000);
afterAll(() => harness?.close());

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }) =>
  fetch(`${harness.url}/metrics`, { headers });

/** The value of one sample line, e.g. `subscription_lag_events{subscription="x"} 3`. */
const sample = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('/metrics', () => {
  it('is read with the scraper token or by ops and admin staff, by nobody else', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer not-the-token' })).status).toBe(401);
    const pharmacist = apiClient(harness.url);
    await pharmacist.signIn('pharmacist@pharmacy.example.org', harness.passwords.pharmacist!);
    expect((await pharmacist.get('/metrics')).status).toBe(403);
    const ops = apiClient(harness.url);
    await ops.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    expect((await ops.get('/metrics')).status).toBe(200);
  });

  it('shows request latency by route template, appends, and each subscription’s lag', async () => {
    const intake = await fetch(`${harness.url}/api/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-api-key': harness.composition.intakeApiKey },
      body: await newRxWith(`metrics-${Date.now()}`),
    });
    expect(intake.status).toBeLessThan(300);
    await harness.composition.platform.drain();
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="[^"]+",route="\/api\/intake",method="POST",status="\d+"\} 1$/m,
    );
    expect(sample(text, 'eventstore_appends_total', 'category="order"')).toBeGreaterThan(0);
    expect(sample(text, 'subscription_lag_events', 'subscription="projection:orders"')).toBe(0);
    expect(sample(text, 'subscription_lag_seconds', 'subscription="process:prescription-validation"')).toBe(
      0,
    );
    expect(
      sample(text, 'process_deliveries_total', 'process="prescription-validation",outcome="ok"'),
    ).toBeGreaterThan(0);
    for (const gauge of ['parked_events', 'timers_due'])
      expect(text).toMatch(new RegExp(`^${gauge} \\d+$`, 'm'));
    expect(text).toMatch(/^integration_incidents_open\{state="manual_handling"\} 0$/m);
  });
});

/** An event of a stream of its own, recorded a minute ago: whoever has not handled it is behind. */
const recordMinuteOldEvent = (streamName: string) =>
  harness.db.pool.query(
    `INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at)
     VALUES ($1, 0, gen_random_uuid(), 'Probe', '{}', $2, now() - interval '1 minute')`,
    [
      streamName,
      {
        actor: 'system:test',
        correlationId: streamName,
        causationId: null,
        occurredAt: new Date().toISOString(),
      },
    ],
  );

/** A consumer that holds its first batch until `release` is called: it stores no checkpoint meanwhile. */
const gate = () => {
  let release: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { opened, release };
};

describe('/api/health and /api/ready', () => {
  it('ready once the subscriptions have caught up; not ready while one it runs is behind, naming it, even before its first checkpoint', async () => {
    await harness.composition.platform.drain();
    expect((await fetch(`${harness.url}/api/health`)).status).toBe(200);
    const ready = await fetch(`${harness.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    // An event recorded a minute ago, and a projection started now that cannot get past its first
    // batch: it has stored no checkpoint yet, and it is behind all the same.
    await recordMinuteOldEvent('stalled-1');
    await harness.composition.platform.drain();
    const held = gate();
    const stalled: Projection = {
      name: 'test-stalled',
      filter: { kind: 'eventTypes', eventTypes: ['Probe'] },
      tables: [],
      applyBatch: () => held.opened,
    };
    harness.composition.platform.run({ projections: [stalled] });
    try {
      const behind = await fetch(`${harness.url}/api/ready`);
      expect(behind.status).toBe(503);
      const body = (await behind.json()) as { behind: { subscriptionId: string; seconds: number }[] };
      expect(body.behind.map((lag) => lag.subscriptionId)).toEqual(['projection:test-stalled']);
      expect(body.behind[0]?.seconds).toBeGreaterThanOrEqual(60);
      const text = await (await scrape()).text();
      expect(
        sample(text, 'subscription_lag_events', 'subscription="projection:test-stalled"'),
      ).toBeGreaterThan(0);
      expect(
        sample(text, 'subscription_lag_seconds', 'subscription="projection:test-stalled"'),
      ).toBeGreaterThanOrEqual(60);
    } finally {
      held.release();
    }
    await harness.composition.platform.drain();
    expect((await fetch(`${harness.url}/api/ready`)).status).toBe(200);
  });

  it('ready whatever a subscription no longer run left in the checkpoint table (a renamed projection)', async () => {
    await recordMinuteOldEvent('stalled-3');
    await harness.composition.platform.drain();
    await harness.db.pool.query(
      `INSERT INTO subscription_checkpoints (subscription_id, transaction_id, global_position)
       VALUES ('projection:renamed-long-ago', '0', 0)`,
    );
    const ready = await fetch(`${harness.url}/api/ready`);
    expect(ready.status).toBe(200);
  });

  it('not ready while a document read model (READ_MODELS=mongodb) is behind, naming it too, even before its first checkpoint', async () => {
    // A document projection whose sink holds its first batch, and an event recorded a minute ago.
    await recordMinuteOldEvent('stalled-2');
    await harness.composition.platform.drain();
    const memory = memoryReadModels();
    const held = gate();
    const stalledSink = {
      ...memory.sink,
      name: 'memory',
      transact: async (...args: Parameters<typeof memory.sink.transact>) => {
        await held.opened;
        return memory.sink.transact(...args);
      },
    };
    const probes: DocumentProjection<unknown> = {
      name: 'test-probes',
      collection: 'incidents',
      filter: { kind: 'eventTypes', eventTypes: ['Probe'] },
      keyOf: () => null,
      fold: () => undefined,
      fields: () => ({}),
    };
    harness.composition.platform.run({ documents: { sink: stalledSink, projections: [probes] } });
    try {
      const behind = await fetch(`${harness.url}/api/ready`);
      expect(behind.status).toBe(503);
      const body = (await behind.json()) as { behind: { subscriptionId: string; seconds: number }[] };
      expect(body.behind.map((lag) => lag.subscriptionId)).toEqual(['memory:test-probes']);
      expect(body.behind[0]!.seconds).toBeGreaterThanOrEqual(60);
    } finally {
      held.release();
    }
    await harness.composition.platform.drain();
    expect((await fetch(`${harness.url}/api/ready`)).status).toBe(200);
  });
});
