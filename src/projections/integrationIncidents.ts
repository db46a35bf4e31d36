import { INTEGRATION_EVENT_TYPES, type IntegrationEvent } from '../domain/integrationEvents.js';
import type { UnmatchedPayment } from './integrationIncidentQueries.js';
import type { Projection } from './runtime.js';

/**
 * Vendor calls waiting on an unavailable vendor ("pending (API unavailable)") or needing a person:
 * one row per call (stream, triggering event, process manager), so two stuck calls of one order
 * are two rows and the recovery of one leaves the other in sight.
 */
export const integrationIncidentsProjection: Projection = {
  name: 'integration-incidents',
  filter: { kind: 'eventTypes', eventTypes: INTEGRATION_EVENT_TYPES },
  tables: ['integration_incidents'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as IntegrationEvent;
      const at = recorded.metadata.occurredAt;
      const call = [recorded.streamName, event.data.triggerEventId, event.data.processManager];
      switch (event.type) {
        case 'IntegrationCallFailed':
        case 'IntegrationFlaggedForManualHandling': {
          const flagged = event.type === 'IntegrationFlaggedForManualHandling';
          await client.query(
            `INSERT INTO integration_incidents AS i (stream_name, trigger_event_id, process_manager, integration,
                    attempts, last_error, next_attempt_at, state, updated_at, opened_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT (stream_name, trigger_event_id, process_manager) DO UPDATE
                SET integration = EXCLUDED.integration, attempts = EXCLUDED.attempts,
                    last_error = EXCLUDED.last_error, next_attempt_at = EXCLUDED.next_attempt_at,
                    state = EXCLUDED.state, updated_at = EXCLUDED.updated_at,
                    -- The first failure opened the incident; later ones only bring it up to date.
                    opened_at = coalesce(i.opened_at, EXCLUDED.opened_at)`,
            [
              ...call,
              event.data.integration,
              flagged ? event.data.attempts : event.data.attempt,
              event.data.error,
              flagged ? null : event.data.nextAttemptAt,
              flagged ? 'manual_handling' : 'pending_api_unavailable',
              at,
            ],
          );
          break;
        }
        case 'IntegrationRetryRequested':
          await client.query(
            `UPDATE integration_incidents SET state = 'pending_api_unavailable', next_attempt_at = $4, updated_at = $4
              WHERE stream_name = $1 AND trigger_event_id = $2 AND process_manager = $3`,
            [...call, at],
          );
          break;
        case 'IntegrationCallRecovered':
          await client.query(
            `DELETE FROM integration_incidents
              WHERE stream_name = $1 AND trigger_event_id = $2 AND process_manager = $3`,
            call,
          );
          break;
      }
    }
  },
};

/** Provider events no flow could take, for ops to look at (they were answered 2xx). */
export const unmatchedPaymentsProjection: Projection = {
  name: 'unmatched-payments',
  filter: { kind: 'eventTypes', eventTypes: ['PaymentEventUnmatched'] },
  tables: ['unmatched_payment_events'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const data = recorded.data as Omit<UnmatchedPayment, 'receivedAt'>;
      await client.query(
        `INSERT INTO unmatched_payment_events (stripe_event_id, kind, flow, reference, payment_intent_id,
                amount_minor, currency, reason, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (stripe_event_id) DO NOTHING`,
        [
          data.stripeEventId,
          data.kind,
          data.flow,
          data.reference,
          data.paymentIntentId,
          data.amountMinor,
          data.currency,
          data.reason,
          recorded.metadata.occurredAt,
        ],
      );
    }
  },
};
