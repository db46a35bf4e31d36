import { z } from 'zod';
import type { Wire } from './common.js';

/**
 * What SignatureRx and Royal Mail are told of a verified event: received, and whether the flow
 * applied it (`reason`: the domain's code when it could not, as after a cancellation).
 */
export const webhookAcknowledged = z.object({
  received: z.literal(true),
  handled: z.boolean(),
  reason: z.string().optional(),
});
export type WebhookAcknowledged = Wire<typeof webhookAcknowledged>;
