import { streamId } from '../../eventstore/types.js';
import type { SqlClient } from '../../platform/sql.js';
import type { Projection } from '../runtime.js';
import { applyToConsultationView, type ConsultationView } from './consultationView.js';

const loadViews = async (client: SqlClient, ids: string[]) => {
  const { rows } = await client.query<{ consultation_id: string; detail: ConsultationView; version: number }>(
    'SELECT consultation_id, detail, version FROM consultations WHERE consultation_id = ANY ($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.consultation_id, { view: r.detail, version: r.version, position: 0 }]));
};

type SavedView = { view: ConsultationView; version: number; position: number };

/**
 * Every consultation a batch touched in one statement (one round trip per batch, not per
 * consultation): the columns go as parallel arrays and are unnested server-side.
 */
const saveViews = async (client: SqlClient, saved: readonly SavedView[]) => {
  if (saved.length === 0) return;
  const column = <T>(pick: (s: SavedView) => T) => saved.map(pick);
  const patientOf = (s: SavedView) => s.view.account.patient;
  await client.query(
    `INSERT INTO consultations (consultation_id, patient_ref, patient_name, patient_email, product_id, product_name,
            product_kind, status, status_since, started_at, updated_at, last_activity_at, submitted_at, review_queue,
            queued_at, repeat_flagged, overlap_flagged, draft_inactive_since, cancellation_requested_at, supply_number,
            stock_blocked, tracking_number, plan_ends_at, renewal_of, last_event_position, version, detail)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                          $13::timestamptz[], $14::text[], $15::timestamptz[], $16::boolean[], $17::boolean[],
                          $18::timestamptz[], $19::timestamptz[], $20::integer[], $21::boolean[], $22::text[],
                          $23::timestamptz[], $24::text[], $25::bigint[], $26::integer[], $27::jsonb[])
     ON CONFLICT (consultation_id) DO UPDATE SET patient_ref = EXCLUDED.patient_ref, patient_name = EXCLUDED.patient_name,
       patient_email = EXCLUDED.patient_email, product_id = EXCLUDED.product_id, product_name = EXCLUDED.product_name,
       product_kind = EXCLUDED.product_kind, status = EXCLUDED.status, status_since = EXCLUDED.status_since,
       started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at, last_activity_at = EXCLUDED.last_activity_at,
       submitted_at = EXCLUDED.submitted_at, review_queue = EXCLUDED.review_queue, queued_at = EXCLUDED.queued_at,
       repeat_flagged = EXCLUDED.repeat_flagged, overlap_flagged = EXCLUDED.overlap_flagged,
       draft_inactive_since = EXCLUDED.draft_inactive_since, cancellation_requested_at = EXCLUDED.cancellation_requested_at,
       supply_number = EXCLUDED.supply_number, stock_blocked = EXCLUDED.stock_blocked,
       tracking_number = EXCLUDED.tracking_number, plan_ends_at = EXCLUDED.plan_ends_at, renewal_of = EXCLUDED.renewal_of,
       last_event_position = EXCLUDED.last_event_position, version = EXCLUDED.version, detail = EXCLUDED.detail`,
    [
      column((s) => s.view.consultationId),
      column((s) => s.view.state.patientRef ?? patientOf(s)?.patientRef ?? null),
      column((s) => {
        const patient = patientOf(s);
        return patient ? `${patient.firstName} ${patient.lastName}` : null;
      }),
      column((s) => patientOf(s)?.email ?? null),
      column((s) => s.view.state.product?.productId ?? null),
      column((s) => s.view.state.product?.name ?? null),
      column((s) => s.view.state.product?.kind ?? null),
      column((s) => s.view.state.status),
      column((s) => s.view.statusSince),
      column((s) => s.view.startedAt),
      column((s) => s.view.updatedAt),
      column((s) => s.view.state.lastActivityAt),
      column((s) => s.view.lastSubmission?.at ?? null),
      column((s) => s.view.state.review?.queue ?? null),
      column((s) => s.view.state.review?.queuedAt ?? null),
      column((s) => s.view.state.flags.repeatSubmission !== null),
      column((s) => s.view.state.flags.renewalOverlap !== null),
      column((s) => s.view.state.flags.draftInactiveSince),
      column((s) => s.view.state.flags.cancellationRequestedAt),
      column((s) => s.view.state.supply?.number ?? null),
      column((s) => s.view.stockBlockedAt !== null),
      column((s) => s.view.shipments.at(-1)?.trackingNumber ?? null),
      column((s) => s.view.plan.endsAt),
      column((s) => s.view.state.renewalOf?.previousConsultationId ?? null),
      column((s) => s.position),
      column((s) => s.version),
      column((s) => JSON.stringify(s.view)),
    ],
  );
};

type Shipment = {
  trackingNumber: string;
  consultationId: string;
  supplyNumber: number;
  shipmentId: string;
  dispatchedAt: string;
};

/** The batch's new parcels in one statement; a parcel recorded before is left as it is. */
const saveShipments = async (client: SqlClient, shipments: readonly Shipment[]) => {
  if (shipments.length === 0) return;
  await client.query(
    `INSERT INTO consultation_shipments (tracking_number, consultation_id, supply_number, shipment_id, dispatched_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::timestamptz[])
     ON CONFLICT (tracking_number) DO NOTHING`,
    [
      shipments.map((s) => s.trackingNumber),
      shipments.map((s) => s.consultationId),
      shipments.map((s) => s.supplyNumber),
      shipments.map((s) => s.shipmentId),
      shipments.map((s) => s.dispatchedAt),
    ],
  );
};

/**
 * The consultation read model: one row per consultation from its own stream and its account
 * stream, plus every parcel's tracking number for the Royal Mail webhook.
 */
export const consultationsProjection: Projection = {
  name: 'consultations',
  filter: { kind: 'categories', categories: ['consultation', 'consultationaccount'] },
  tables: ['consultation_shipments', 'consultations'],
  async applyBatch(client, events) {
    const views = await loadViews(client, [...new Set(events.map((e) => streamId(e.streamName)))]);
    const touched = new Set<string>();
    const shipments: Shipment[] = [];
    for (const event of events) {
      const id = streamId(event.streamName);
      const current = views.get(id);
      const view = applyToConsultationView(current?.view ?? null, id, event);
      const onOwnStream = event.streamName.startsWith('consultation-');
      views.set(id, {
        view,
        version: onOwnStream ? event.streamRevision + 1 : (current?.version ?? 0),
        position: event.globalPosition,
      });
      touched.add(id);
      if (onOwnStream && event.type === 'OrderDispatched') {
        const data = event.data as Omit<Shipment, 'consultationId'>;
        shipments.push({
          trackingNumber: data.trackingNumber,
          consultationId: id,
          supplyNumber: data.supplyNumber,
          shipmentId: data.shipmentId,
          dispatchedAt: data.dispatchedAt,
        });
      }
    }
    await saveShipments(client, shipments);
    await saveViews(
      client,
      [...touched].map((id) => views.get(id)!),
    );
  },
};
