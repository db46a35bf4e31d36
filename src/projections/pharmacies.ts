import type pg from 'pg';
import type { Pharmacy } from '../domain/routing/network.js';
import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';
import type { Projection } from './runtime.js';

/** The network read model: one row per pharmacy, its latest registration. */
export const pharmaciesProjection: Projection = {
  name: 'pharmacies',
  filter: { kind: 'eventTypes', eventTypes: ['PharmacyRegistered'] },
  tables: ['pharmacies'],
  async applyBatch(client, events) {
    for (const event of events) {
      const pharmacy = event.data as Pharmacy;
      await client.query(
        `INSERT INTO pharmacies (pharmacy_id, name, state, data, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (pharmacy_id) DO UPDATE SET name = EXCLUDED.name, state = EXCLUDED.state,
           data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
        [
          pharmacy.id,
          pharmacy.name,
          pharmacy.address.state,
          JSON.stringify(pharmacy),
          event.metadata.occurredAt,
        ],
      );
    }
  },
};

/** Registers each pharmacy once: event ids derive from the pharmacy's data, so a restart adds nothing. */
export const seedPharmacyNetwork = async (store: EventStore, clock: Clock, network: readonly Pharmacy[]) => {
  for (const pharmacy of network) {
    await store.appendToStream(`pharmacy-${pharmacy.id}`, [
      {
        id: deterministicId('pharmacy-registered', JSON.stringify(pharmacy)),
        type: 'PharmacyRegistered',
        data: pharmacy,
        metadata: {
          correlationId: pharmacy.id,
          causationId: null,
          actor: 'system:network-seed',
          occurredAt: clock.now().toISOString(),
        },
      },
    ]);
  }
};

export const loadPharmacies = async (pool: pg.Pool): Promise<Pharmacy[]> =>
  (await pool.query<{ data: Pharmacy }>('SELECT data FROM pharmacies ORDER BY pharmacy_id')).rows.map(
    (r) => r.data,
  );
