import {
  detailsFromRegistration,
  NETWORK_EVENT_TYPES,
  type Pharmacy,
  type PharmacyEvent,
} from '../domain/routing/pharmacy.js';
import type { SqlClient } from '../platform/sql.js';
import { findPharmacy } from './pharmacyQueries.js';
import type { Projection } from './runtime.js';

const upsert = (client: SqlClient, pharmacy: Pharmacy, at: string) =>
  client.query(
    `INSERT INTO pharmacies (pharmacy_id, name, state, npi, status, suspension, data, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (pharmacy_id) DO UPDATE SET name = EXCLUDED.name, state = EXCLUDED.state, npi = EXCLUDED.npi,
       status = EXCLUDED.status, suspension = EXCLUDED.suspension, data = EXCLUDED.data,
       updated_at = EXCLUDED.updated_at`,
    [
      pharmacy.id,
      pharmacy.name,
      pharmacy.address.state,
      pharmacy.npi,
      pharmacy.status,
      pharmacy.suspension ? JSON.stringify(pharmacy.suspension) : null,
      JSON.stringify(pharmacy),
      at,
    ],
  );

/** The network read model: one row per pharmacy, its details and whether it may take orders. */
export const pharmaciesProjection: Projection = {
  name: 'pharmacies',
  filter: { kind: 'eventTypes', eventTypes: NETWORK_EVENT_TYPES },
  tables: ['pharmacies'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as PharmacyEvent;
      const at = recorded.metadata.occurredAt;
      if (event.type === 'PharmacyRegistered') {
        const details = detailsFromRegistration(event.data as never);
        await upsert(client, { id: event.data.id, ...details, status: 'active', suspension: null }, at);
        continue;
      }
      const found = await findPharmacy(client, event.data.id);
      if (!found) continue;
      if (event.type === 'PharmacyDetailsChanged')
        await upsert(client, { ...found, ...event.data.details }, at);
      else if (event.type === 'PharmacySuspended')
        await upsert(
          client,
          {
            ...found,
            status: 'suspended',
            suspension: { reason: event.data.reason, since: at, by: recorded.metadata.actor },
          },
          at,
        );
      else if (event.type === 'PharmacyReinstated')
        await upsert(client, { ...found, status: 'active', suspension: null }, at);
    }
  },
};
