-- When a vendor call first failed: the needs-attention queue sorts incidents by how long they are open.
ALTER TABLE integration_incidents ADD COLUMN opened_at timestamptz;
UPDATE integration_incidents SET opened_at = updated_at WHERE opened_at IS NULL;
