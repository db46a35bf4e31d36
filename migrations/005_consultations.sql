-- Read models of the UK consultation flow. Every table here is a projection (rebuildable from the
-- consultation-, consultationaccount- and stock- streams).

-- One row per consultation: the columns the queues filter and sort on, the full view as JSON.
CREATE TABLE consultations (
  consultation_id           text PRIMARY KEY,
  patient_ref               text,
  patient_name              text,
  patient_email             text,
  product_id                text,
  product_name              text,
  product_kind              text,
  status                    text        NOT NULL,
  status_since              timestamptz NOT NULL,
  started_at                timestamptz,
  updated_at                timestamptz NOT NULL,
  last_activity_at          timestamptz,
  -- The last set of answers judged (submitted, or auto-denied): what repeat detection compares.
  submitted_at              timestamptz,
  review_queue              text,
  queued_at                 timestamptz,
  repeat_flagged            boolean     NOT NULL DEFAULT false,
  overlap_flagged           boolean     NOT NULL DEFAULT false,
  draft_inactive_since      timestamptz,
  cancellation_requested_at timestamptz,
  supply_number             int,
  stock_blocked             boolean     NOT NULL DEFAULT false,
  tracking_number           text,
  plan_ends_at              timestamptz,
  renewal_of                text,
  last_event_position       bigint      NOT NULL,
  version                   int         NOT NULL,
  detail                    jsonb       NOT NULL
);
CREATE INDEX consultations_status ON consultations (status, status_since);
CREATE INDEX consultations_patient_product ON consultations (patient_ref, product_id, submitted_at DESC);
CREATE INDEX consultations_review ON consultations (review_queue, queued_at) WHERE review_queue IS NOT NULL;

-- Every parcel ever booked, so a tracking webhook finds its consultation and month.
CREATE TABLE consultation_shipments (
  tracking_number text PRIMARY KEY,
  consultation_id text        NOT NULL,
  supply_number   int         NOT NULL,
  shipment_id     text        NOT NULL,
  dispatched_at   timestamptz NOT NULL
);
CREATE INDEX consultation_shipments_consultation ON consultation_shipments (consultation_id);

-- Stock per product, folded from the stock- streams.
CREATE TABLE consultation_stock (
  product_id          text PRIMARY KEY,
  on_hand             int         NOT NULL,
  low_stock_threshold int         NOT NULL,
  received_total      int         NOT NULL DEFAULT 0,
  reserved_total      int         NOT NULL DEFAULT 0,
  low_since           timestamptz,
  updated_at          timestamptz NOT NULL
);
