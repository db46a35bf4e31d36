import type pg from 'pg';
import type { OrderEvent } from '../../domain/prescription/orderEvents.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import type { Projection } from '../runtime.js';
import { applyToOrderView, type OrderView, patientName } from './orderView.js';

const loadViews = async (client: pg.PoolClient, orderIds: string[]) => {
  const { rows } = await client.query<{ order_id: string; detail: OrderView; version: number }>(
    'SELECT order_id, detail, version FROM orders WHERE order_id = ANY ($1::text[])',
    [orderIds],
  );
  return new Map(
    rows.map((r) => [r.order_id, { view: r.detail as OrderView | null, version: r.version, position: 0 }]),
  );
};

const saveView = (client: pg.PoolClient, view: OrderView, version: number, position: number) =>
  client.query(
    `INSERT INTO orders (order_id, status, status_since, received_at, updated_at, message_id, patient_name, patient_state,
                         patient_email, drug_description, ndc, pharmacy_id, pharmacy_name, patient_pays_minor,
                         tracking_number, last_event_position, version, detail)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, status_since = EXCLUDED.status_since,
       updated_at = EXCLUDED.updated_at, patient_name = EXCLUDED.patient_name, patient_state = EXCLUDED.patient_state,
       patient_email = EXCLUDED.patient_email, drug_description = EXCLUDED.drug_description, ndc = EXCLUDED.ndc,
       pharmacy_id = EXCLUDED.pharmacy_id, pharmacy_name = EXCLUDED.pharmacy_name,
       patient_pays_minor = EXCLUDED.patient_pays_minor, tracking_number = EXCLUDED.tracking_number,
       last_event_position = EXCLUDED.last_event_position, version = EXCLUDED.version, detail = EXCLUDED.detail`,
    [
      view.orderId,
      view.status,
      view.statusSince,
      view.receivedAt,
      view.updatedAt,
      view.messageId,
      patientName(view.prescription),
      view.prescription.patient.address?.state ?? null,
      view.prescription.patient.email ?? null,
      view.prescription.medication.description ?? null,
      view.normalisedNdc,
      view.pharmacy?.id ?? null,
      view.pharmacy?.name ?? null,
      view.adjudication?.patientPaysAfterCouponMinor ?? null,
      view.shipment?.trackingNumber ?? null,
      position,
      version,
      JSON.stringify(view),
    ],
  );

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
    for (const id of touched) {
      const { view, version, position } = views.get(id)!;
      await saveView(client, view!, version, position);
    }
  },
};

/** Keeps enrollment_links in step with the links issued: the patient endpoints find orders by hash. */
export const enrollmentLinksProjection: Projection = {
  name: 'enrollment-links',
  filter: { kind: 'eventTypes', eventTypes: ['EnrollmentLinkIssued'] },
  tables: ['enrollment_links'],
  async applyBatch(client, events) {
    for (const event of events) {
      const e = { type: event.type, data: event.data } as OrderEvent;
      if (e.type !== 'EnrollmentLinkIssued') continue;
      await client.query(
        `INSERT INTO enrollment_links (token_hash, order_id, expires_at, issued_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (token_hash) DO NOTHING`,
        [e.data.tokenHash, orderIdOf(event), e.data.expiresAt, event.metadata.occurredAt],
      );
    }
  },
};
