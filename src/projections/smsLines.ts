import type { SmsLineEvent } from '../domain/smsLine.js';
import type { Projection } from './runtime.js';

/**
 * One row per patient phone line, folded from its `smsline-…` stream: opted out or not (the last
 * STOP or START wins) and what Twilio last reported of a text to it.
 */
export const smsLinesProjection: Projection = {
  name: 'sms-lines',
  filter: { kind: 'categories', categories: ['smsline'] },
  tables: ['sms_lines'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as SmsLineEvent;
      const position = recorded.globalPosition;
      switch (event.type) {
        case 'SmsOptedOut':
        case 'SmsOptedIn': {
          const out = event.type === 'SmsOptedOut';
          await client.query(
            `INSERT INTO sms_lines (phone, opted_out, opted_out_at, last_event_position) VALUES ($1, $2, $3, $4)
             ON CONFLICT (phone) DO UPDATE SET opted_out = EXCLUDED.opted_out, opted_out_at = EXCLUDED.opted_out_at,
               last_event_position = EXCLUDED.last_event_position`,
            [event.data.phone, out, out ? event.data.receivedAt : null, position],
          );
          break;
        }
        case 'SmsDeliveryReported':
          await client.query(
            `INSERT INTO sms_lines (phone, last_status, last_error_code, last_reported_at, last_event_position)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (phone) DO UPDATE SET last_status = EXCLUDED.last_status,
               last_error_code = EXCLUDED.last_error_code, last_reported_at = EXCLUDED.last_reported_at,
               last_event_position = EXCLUDED.last_event_position`,
            [event.data.phone, event.data.status, event.data.errorCode, event.data.reportedAt, position],
          );
          break;
      }
    }
  },
};

/** What ops see of a line beside an order: opted out, and the last delivery status. */
export type SmsLineSummary = {
  optedOut: boolean;
  lastStatus: string | null;
  lastErrorCode: string | null;
};

export const smsLineOf = async (
  pool: { query: (sql: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> },
  phone: string,
): Promise<SmsLineSummary> => {
  const { rows } = await pool.query(
    'SELECT opted_out, last_status, last_error_code FROM sms_lines WHERE phone = $1',
    [phone],
  );
  const row = rows[0];
  return {
    optedOut: row?.opted_out === true,
    lastStatus: (row?.last_status as string | undefined) ?? null,
    lastErrorCode: (row?.last_error_code as string | undefined) ?? null,
  };
};
