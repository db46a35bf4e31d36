import { INTEGRATION_EVENT_TYPES, type IntegrationEvent } from '../processes/integrationEvents.js';
import type { Projection } from './runtime.js';

/** Which streams wait on an unavailable vendor ("pending (API unavailable)") or need a person. */
export const integrationIncidentsProjection: Projection = {
  name: 'integration-incidents',
  filter: { kind: 'eventTypes', eventTypes: INTEGRATION_EVENT_TYPES },
  tables: ['integration_incidents'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as IntegrationEvent;
      const at = recorded.metadata.occurredAt;
      switch (event.type) {
        case 'IntegrationCallFailed':
        case 'IntegrationFlaggedForManualHandling': {
          const flagged = event.type === 'IntegrationFlaggedForManualHandling';
          await client.query(
            `INSERT INTO integration_incidents AS i (stream_name, integration, process_manager, trigger_event_id,
                    attempts, last_error, next_attempt_at, state, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (stream_name) DO UPDATE SET integration = EXCLUDED.integration,
                    process_manager = EXCLUDED.process_manager, trigger_event_id = EXCLUDED.trigger_event_id,
                    attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
                    next_attempt_at = EXCLUDED.next_attempt_at, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
            [
              recorded.streamName,
              event.data.integration,
              event.data.processManager,
              event.data.triggerEventId,
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
            `UPDATE integration_incidents SET state = 'pending_api_unavailable', next_attempt_at = $2, updated_at = $2
              WHERE stream_name = $1`,
            [recorded.streamName, at],
          );
          break;
        case 'IntegrationCallRecovered':
          await client.query(
            'DELETE FROM integration_incidents WHERE stream_name = $1 AND trigger_event_id = $2',
            [recorded.streamName, event.data.triggerEventId],
          );
          break;
      }
    }
  },
};
