import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../src/eventstore/types.js';

export const anEvent = (
  type = 'SomethingHappened',
  data: unknown = {},
  id: string = randomUUID(),
): EventToAppend => ({
  id,
  type,
  data,
  metadata: {
    correlationId: 'corr-1',
    causationId: null,
    actor: 'test',
    occurredAt: '2026-11-21T10:00:00.000Z',
  },
});

export const events = (count: number, type = 'SomethingHappened') =>
  Array.from({ length: count }, (_, i) => anEvent(type, { i }));

export const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A vendor call that failed (Stripe answering 503), as the process runtime records it. */
export const failedStripeCall = (triggerEventId: string, processManager = 'test') =>
  anEvent('IntegrationCallFailed', {
    integration: 'stripe',
    processManager,
    triggerEventId,
    cycle: '1',
    attempt: 1,
    error: 'HTTP 503',
    nextAttemptAt: null,
  });
