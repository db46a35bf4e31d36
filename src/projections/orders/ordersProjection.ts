import type { OrderEvent } from '../../domain/prescription/orderEvents.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import type { SqlClient } from '../../platform/sql.js';
import type { Projection } from '../runtime.js';
import { applyToOrderView, type OrderView, patientName, upgradeOrderView } from './orderView.js';

const loadViews = async (client: SqlClient, orderIds: string[]) => {
  const { rows } = await client.query<{ order_id: string; detail: OrderView; version: number }>(
    'SELECT order_id, detail, version FROM orders WHERE order_id = ANY ($1::text[])',
    [orderIds],
  );
  return new Map(
    rows.map((r) => [r.order_id, { view: upgradeOrderView(r.detail), version: r.version, position: 0 }]),
  );
};

type SavedView = { view: OrderView; version: number; position: number };

/**
 * Every order a batch touched in one statement (one round trip per batch, not per order): the
 * columns go as parallel arrays and are unnested server-side.
 */
const saveViews = async (client: SqlClient, saved: readonly SavedView[]) => {
  if (saved.length === 0) return;
  const column = <T>(pick: (s: SavedView) => T) => saved.map(pick);
  await client.query(
    `INSERT INTO orders (order_id, status, status_since, received_at, updated_at, message_id, patient_name, patient_state,
                         patient_email, drug_description, ndc, pharmacy_id, pharmacy_name, patient_pays_minor,
                         tracking_number, last_event_position, version, detail, patient_dob, patient_identifiers)
     SELECT u.order_id, u.status, u.status_since, u.received_at, u.updated_at, u.message_id, u.patient_name,
            u.patient_state, u.patient_email, u.drug_description, u.ndc, u.pharmacy_id, u.pharmacy_name,
            u.patient_pays_minor, u.tracking_number, u.last_event_position, u.version, u.detail, u.patient_dob,
            -- One text[] per row: arrays of arrays do not unnest row by row, so they travel as JSON.
            ARRAY(SELECT jsonb_array_elements_text(u.identifiers))
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                   $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                   $14::integer[], $15::text[], $16::bigint[], $17::integer[], $18::jsonb[], $19::text[], $20::jsonb[])
         AS u(order_id, status, status_since, received_at, updated_at, message_id, patient_name, patient_state,
              patient_email, drug_description, ndc, pharmacy_id, pharmacy_name, patient_pays_minor, tracking_number,
              last_event_position, version, detail, patient_dob, identifiers)
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, status_since = EXCLUDED.status_since,
       updated_at = EXCLUDED.updated_at, patient_name = EXCLUDED.patient_name, patient_state = EXCLUDED.patient_state,
       patient_email = EXCLUDED.patient_email, drug_description = EXCLUDED.drug_description, ndc = EXCLUDED.ndc,
       pharmacy_id = EXCLUDED.pharmacy_id, pharmacy_name = EXCLUDED.pharmacy_name,
       patient_pays_minor = EXCLUDED.patient_pays_minor, tracking_number = EXCLUDED.tracking_number,
       last_event_position = EXCLUDED.last_event_position, version = EXCLUDED.version, detail = EXCLUDED.detail,
       patient_dob = EXCLUDED.patient_dob, patient_identifiers = EXCLUDED.patient_identifiers`,
    [
      column((s) => s.view.orderId),
      column((s) => s.view.status),
      column((s) => s.view.statusSince),
      column((s) => s.view.receivedAt),
      column((s) => s.view.updatedAt),
      column((s) => s.view.messageId),
      column((s) => patientName(s.view.prescription)),
      column((s) => s.view.prescription.patient.address?.state ?? null),
      column((s) => s.view.prescription.patient.email ?? null),
      column((s) => s.view.prescription.medication.description ?? null),
      column((s) => s.view.normalisedNdc),
      column((s) => s.view.pharmacy?.id ?? null),
      column((s) => s.view.pharmacy?.name ?? null),
      column((s) => s.view.adjudication?.patientPaysAfterCouponMinor ?? null),
      column((s) => s.view.shipment?.trackingNumber ?? null),
      column((s) => s.position),
      column((s) => s.version),
      column((s) => JSON.stringify(s.view)),
      column((s) => s.view.prescription.patient.dateOfBirth ?? null),
      // Upper-cased, so a search for "mrn-0042117" finds MRN-0042117 through the index.
      column((s) =>
        JSON.stringify(
          Object.values(s.view.prescription.patient.identifiers ?? {}).map((id) => id.toUpperCase()),
        ),
      ),
    ],
  );
};

const orderIdOf = (event: RecordedEvent) => event.streamName.slice('order-'.length);

/** The orders dashboard and detail: one row per order, its full view kept as JSON beside the columns. */
export const ordersProjection: Projection = {
  name: 'orders',
  filter: { kind: 'categories', categories: ['order'] },
  tables: ['orders'],
  async applyBatch(client, events) {
    const views = await loadViews(client, [...new Set(events.map(orderIdOf))]);
    const touched = new Set<string>();
    for (const event of events) {
      const id = orderIdOf(event);
      const next = applyToOrderView(views.get(id)?.view ?? null, event);
      if (!next) continue;
      views.set(id, { view: next, version: event.streamRevision + 1, position: event.globalPosition });
      touched.add(id);
    }
    await saveViews(
      client,
      [...touched].map((id) => {
        const { view, version, position } = views.get(id)!;
        return { view: view!, version, position };
      }),
    );
  },
};

/** Keeps enrollment_links in step with the links issued: the patient endpoints find orders by hash. */
export const enrollmentLinksProjection: Projection = {
  name: 'enrollment-links',
  filter: { kind: 'eventTypes', eventTypes: ['EnrollmentLinkIssued'] },
  tables: ['enrollment_links'],
  async applyBatch(client, events) {
    const links = events.flatMap((event) => {
      const e = { type: event.type, data: event.data } as OrderEvent;
      return e.type === 'EnrollmentLinkIssued'
        ? [{ ...e.data, orderId: orderIdOf(event), issuedAt: event.metadata.occurredAt }]
        : [];
    });
    if (links.length === 0) return;
    await client.query(
      `INSERT INTO enrollment_links (token_hash, order_id, expires_at, issued_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
       ON CONFLICT (token_hash) DO NOTHING`,
      [
        links.map((l) => l.tokenHash),
        links.map((l) => l.orderId),
        links.map((l) => l.expiresAt),
        links.map((l) => l.issuedAt),
      ],
    );
  },
};
