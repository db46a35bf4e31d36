-- Reference data a pharmacy manages, as read models of its events: the drug catalogue
-- (`drug-<ndc11>` streams), the pharmacy network (`pharmacy-<id>`), the UK product terms
-- (`ukproduct-<id>`). All are projections: `rebuild` empties and refills them.

CREATE TABLE drug_catalogue (
  ndc11                text PRIMARY KEY,
  proprietary_name     text,
  generic_name         text,
  strength             text,
  labeler              text,
  -- NULL until a pharmacist classifies the product: such an NDC never routes.
  storage_class        text CHECK (storage_class IN ('ambient', 'refrigerated', 'frozen')),
  specialty            boolean     NOT NULL DEFAULT false,
  limited_distribution text,
  rems                 boolean     NOT NULL DEFAULT false,
  dea_schedule         text,
  data                 jsonb       NOT NULL,
  added_by             text        NOT NULL,
  source               text        NOT NULL,
  classified_by        text,
  classified_at        timestamptz,
  updated_at           timestamptz NOT NULL,
  updated_by           text        NOT NULL
);
CREATE INDEX drug_catalogue_unclassified ON drug_catalogue (ndc11) WHERE storage_class IS NULL;

-- Suspension is a column so routing and the network page filter on it without reading the JSON.
ALTER TABLE pharmacies ADD COLUMN status text NOT NULL DEFAULT 'active';
ALTER TABLE pharmacies ADD COLUMN npi text;
ALTER TABLE pharmacies ADD COLUMN suspension jsonb;

-- A pharmacy's open orders (selected for it, not yet shipped) are counted at every routing.
CREATE INDEX orders_by_pharmacy ON orders (pharmacy_id, status) WHERE pharmacy_id IS NOT NULL;
-- Orders waiting for a pharmacist's word on a drug are found by NDC when it is classified.
CREATE INDEX orders_by_ndc ON orders (ndc, status);

-- UK products' price, pack size and availability as the admin last set them; the questionnaires
-- stay versioned data in the code. A product without a row is on its seed terms.
CREATE TABLE uk_product_terms (
  product_id  text PRIMARY KEY,
  price_pence integer     NOT NULL CHECK (price_pence > 0),
  pack_size   text        NOT NULL,
  available   boolean     NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text        NOT NULL
);
