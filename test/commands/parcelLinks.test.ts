import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findParcel, linkParcel, parcelStream } from '../../src/commands/parcels.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { MIGRATIONS_DIR, migrate } from '../../src/eventstore/postgres/migrate.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { manualClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const clock = manualClock('2026-12-04T12:00:00Z');
const meta = { actor: 'system:shipping', correlationId: 'c-1' };
const event = (type: string, data: Record<string, unknown>) => ({
  id: crypto.randomUUID(),
  type,
  data,
  metadata: { correlationId: 'c-1', causationId: null, actor: 'test', occurredAt: clock.now().toISOString() },
});

describe('parcel link streams', () => {
  it('find the stream that shipped a tracking number, on any adapter, once per link however often it is written', async () => {
    const store = createMemoryEventStore();
    expect(await findParcel(store, '9400 1000 0000')).toBeNull();
    const link = { trackingNumber: '9400 1000 0000', streamName: 'order-A1' };
    await linkParcel(store, clock, link, meta);
    await linkParcel(store, clock, link, meta);
    expect(await store.readStream(parcelStream(link.trackingNumber))).toHaveLength(1);
    expect(await findParcel(store, link.trackingNumber)).toEqual(link);
    // A number shipped again by another stream: the latest link answers.
    await linkParcel(store, clock, { ...link, streamName: 'order-B2' }, meta);
    expect((await findParcel(store, link.trackingNumber))?.streamName).toBe('order-B2');
  });
});

describe('parcels recorded before link streams', () => {
  let db: TestDatabase | undefined;
  let before: string | undefined;
  afterAll(async () => {
    await db?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it('get their links from the migration, and the index into event contents goes', async () => {
    // A database as the last version left it: every migration before the link streams.
    before = await mkdtemp(join(tmpdir(), 'migrations-'));
    for (const file of await readdir(MIGRATIONS_DIR))
      if (Number.parseInt(file, 10) < 67) await cp(join(MIGRATIONS_DIR, file), join(before, file));
    db = await createTestDatabase({ dir: before });
    const store = createPostgresEventStore(db.pool);
    const orderId = newId();
    const consultationId = newId();
    await store.appendToStream(`order-${orderId}`, [
      event('ShippingLabelPurchased', { trackingNumber: 'US-TRACK-1', carrier: 'usps', coldChain: false }),
    ]);
    await store.appendToStream(`consultation-${consultationId}`, [
      event('OrderDispatched', { supplyNumber: 1, trackingNumber: 'GB-TRACK-1' }),
      event('OrderDispatched', { supplyNumber: 2, trackingNumber: 'GB-TRACK-2' }),
    ]);

    expect(await migrate(db.pool)).toContain('067_parcel_links.sql');
    expect(await findParcel(store, 'US-TRACK-1')).toEqual({
      trackingNumber: 'US-TRACK-1',
      streamName: `order-${orderId}`,
    });
    expect((await findParcel(store, 'GB-TRACK-2'))?.streamName).toBe(`consultation-${consultationId}`);
    const [link] = await store.readStream(parcelStream('GB-TRACK-1'));
    expect(link?.metadata.actor).toBe('system:migration');
    const index = await db.pool.query(
      "SELECT 1 FROM pg_indexes WHERE indexname = 'events_parcel_tracking_number'",
    );
    expect(index.rowCount).toBe(0);
  });
});
