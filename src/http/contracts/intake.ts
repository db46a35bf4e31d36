import { z } from 'zod';

/** The intake key travels in this header (absent or wrong: 401 from the route); the others pass as sent. */
export const intakeHeaders = z.looseObject({ 'x-api-key': z.string().optional() });

/** What a prescriber's system hears back for a NewRx: the order it made, or found for a repeat. */
export const intakeAccepted = z.object({
  orderId: z.string(),
  status: z.string(),
  duplicate: z.boolean(),
});
export type IntakeAccepted = z.infer<typeof intakeAccepted>;
