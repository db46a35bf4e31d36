import type pg from 'pg';
import { streamId } from '../../eventstore/types.js';
import type { Projection } from '../runtime.js';
import { applyToConsultationView, type ConsultationView } from './consultationView.js';

const loadViews = async (client: pg.PoolClient, ids: string[]) => {
  const { rows } = await client.query<{ consultation_id: string; detail: ConsultationView; version: number }>(
    'SELECT consultation_id, detail, version FROM consultations WHERE consultation_id = ANY ($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.consultation_id, { view: r.detail, version: r.version, position: 0 }]));
};

const saveView = (client: pg.PoolClient, view: ConsultationView, version: number, position: number) => {
  const { state, account } = view;
  const patient = account.patient;
  return client.query(
    `INSERT INTO consultations (consultation_id, patient_ref, patient_name, patient_email, product_id, product_name,
            product_kind, status, status_since, started_at, updated_at, last_activity_at, submitted_at, review_queue,
            queued_at, repeat_flagged, overlap_flagged, draft_inactive_since, cancellation_requested_at, supply_number,
            stock_blocked, tracking_number, plan_ends_at, renewal_of, last_event_position, version, detail)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27)
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
      view.consultationId,
      state.patientRef ?? patient?.patientRef ?? null,
      patient ? `${patient.firstName} ${patient.lastName}` : null,
      patient?.email ?? null,
      state.product?.productId ?? null,
      state.product?.name ?? null,
      state.product?.kind ?? null,
      state.status,
      view.statusSince,
      view.startedAt,
      view.updatedAt,
      state.lastActivityAt,
      view.lastSubmission?.at ?? null,
      state.review?.queue ?? null,
      state.review?.queuedAt ?? null,
      state.flags.repeatSubmission !== null,
      state.flags.renewalOverlap !== null,
      state.flags.draftInactiveSince,
      state.flags.cancellationRequestedAt,
      state.supply?.number ?? null,
      view.stockBlockedAt !== null,
      view.shipments.at(-1)?.trackingNumber ?? null,
      view.plan.endsAt,
      state.renewalOf?.previousConsultationId ?? null,
      position,
      version,
      JSON.stringify(view),
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
        const data = event.data as {
          supplyNumber: number;
          shipmentId: string;
          trackingNumber: string;
          dispatchedAt: string;
        };
        await client.query(
          `INSERT INTO consultation_shipments (tracking_number, consultation_id, supply_number, shipment_id, dispatched_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tracking_number) DO NOTHING`,
          [data.trackingNumber, id, data.supplyNumber, data.shipmentId, data.dispatchedAt],
        );
      }
    }
    for (const id of touched) {
      const { view, version, position } = views.get(id)!;
      await saveView(client, view, version, position);
    }
  },
};
