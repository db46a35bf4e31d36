-- Read model of each patient phone line (the smsline-… streams): whether the patient texted STOP,
-- and the last status Twilio reported of a text to it. Ops see it beside the order.
CREATE TABLE sms_lines (
  phone            text PRIMARY KEY,          -- E.164
  opted_out        boolean     NOT NULL DEFAULT false,
  opted_out_at     timestamptz,
  last_status      text,
  last_error_code  text,
  last_reported_at timestamptz,
  last_event_position bigint   NOT NULL
);
