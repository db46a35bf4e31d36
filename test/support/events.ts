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
