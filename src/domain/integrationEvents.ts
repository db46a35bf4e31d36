/** Platform events recorded in the triggering stream while a vendor is unavailable. */
export type IntegrationEvent =
  | {
      type: 'IntegrationCallFailed';
      data: {
        integration: string;
        processManager: string;
        triggerEventId: string;
        cycle: string;
        attempt: number;
        error: string;
        nextAttemptAt: string | null;
      };
    }
  | {
      type: 'IntegrationFlaggedForManualHandling';
      data: {
        integration: string;
        processManager: string;
        triggerEventId: string;
        cycle: string;
        attempts: number;
        error: string;
      };
    }
  | {
      type: 'IntegrationRetryRequested';
      data: { processManager: string; triggerEventId: string; cycle: string };
    }
  | {
      type: 'IntegrationCallRecovered';
      data: {
        integration: string | null;
        processManager: string;
        triggerEventId: string;
        cycle: string;
        attempt: number;
      };
    };

export const INTEGRATION_EVENT_TYPES = [
  'IntegrationCallFailed',
  'IntegrationFlaggedForManualHandling',
  'IntegrationRetryRequested',
  'IntegrationCallRecovered',
] as const;

/** The status marker shown on an order while its vendor call waits for the retry schedule. */
export const PENDING_API_UNAVAILABLE = 'pending (API unavailable)';
