-- Ops search orders by the patient's date of birth and record numbers (MRN), the NDC and the
-- tracking number: exact matches, each with an index; names, drugs and pharmacies by substring.
ALTER TABLE orders
  ADD COLUMN patient_dob text,
  ADD COLUMN patient_identifiers text[] NOT NULL DEFAULT '{}';
UPDATE orders
   SET patient_dob = detail->'prescription'->'patient'->>'dateOfBirth',
       patient_identifiers = ARRAY(
         SELECT upper(value) FROM jsonb_each_text(coalesce(detail->'prescription'->'patient'->'identifiers', '{}'::jsonb)));
CREATE INDEX orders_patient_identifiers ON orders USING gin (patient_identifiers);
CREATE INDEX orders_patient_dob ON orders (patient_dob);
CREATE INDEX orders_tracking_upper ON orders (upper(tracking_number));
CREATE INDEX orders_ndc ON orders (ndc);
CREATE INDEX orders_waiting ON orders (status_since);
