-- Read models of the prescription flow. All are projections (rebuildable) except patient_identities,
-- which the validation process owns: the first validated record of a patient identifier.

CREATE TABLE orders (
  order_id            text PRIMARY KEY,
  flow                text        NOT NULL DEFAULT 'prescription',
  status              text        NOT NULL,
  status_since        timestamptz NOT NULL,
  received_at         timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  message_id          text        NOT NULL,
  patient_name        text,
  patient_state       text,
  patient_email       text,
  drug_description    text,
  ndc                 text,
  pharmacy_id         text,
  pharmacy_name       text,
  patient_pays_minor  integer,
  tracking_number     text,
  last_event_position bigint      NOT NULL,
  version             integer     NOT NULL,
  detail              jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX orders_status ON orders (status, status_since);
CREATE INDEX orders_received ON orders (received_at DESC);

-- Magic links by the hash of their token: the patient's only key to their order.
CREATE TABLE enrollment_links (
  token_hash  text PRIMARY KEY,
  order_id    text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  issued_at   timestamptz NOT NULL
);
CREATE INDEX enrollment_links_order ON enrollment_links (order_id);

CREATE TABLE patient_identities (
  patient_key    text PRIMARY KEY,
  last_name      text NOT NULL,
  first_name     text NOT NULL,
  date_of_birth  text NOT NULL,
  first_order_id text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- Secrets the platform generates for itself on first start when none are configured (dev only).
CREATE TABLE platform_secrets (
  name       text PRIMARY KEY,
  value      text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The pharmacy network the router ranks, projected from PharmacyRegistered events.
CREATE TABLE pharmacies (
  pharmacy_id text PRIMARY KEY,
  name        text        NOT NULL,
  state       text        NOT NULL,
  data        jsonb       NOT NULL,
  updated_at  timestamptz NOT NULL
);
