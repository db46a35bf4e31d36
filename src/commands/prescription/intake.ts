import { createHash } from 'node:crypto';
import { isWrongExpectedRevision } from '../../eventstore/errors.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId, newId } from '../../platform/ids.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One stream per NCPDP MessageID: the first intake of a message claims it with `no_stream`. */
export const intakeStream = (messageId: string) => `intake-${sha256(messageId).slice(0, 40)}`;

export type IntakeClaim =
  | { kind: 'new'; orderId: string }
  | { kind: 'repeat'; orderId: string }
  | { kind: 'conflict'; orderId: string };

type Registered = { messageId: string; orderId: string; messageSha256: string };

/**
 * Claims a MessageID for a new order, or finds the order an earlier intake of it created. The same
 * ID with a different body is a sender error, not a repeat.
 */
export const claimMessageId = async (
  store: EventStore,
  clock: Clock,
  messageId: string,
  rawMessage: string,
  actor: string,
): Promise<IntakeClaim> => {
  const stream = intakeStream(messageId);
  const messageSha256 = sha256(rawMessage);
  const existing = async (): Promise<IntakeClaim | null> => {
    const [first] = await store.readStream(stream, { maxCount: 1 });
    if (!first) return null;
    const registered = first.data as Registered;
    return {
      kind: registered.messageSha256 === messageSha256 ? 'repeat' : 'conflict',
      orderId: registered.orderId,
    };
  };
  const found = await existing();
  if (found) return found;
  const orderId = newId();
  try {
    await store.appendToStream(
      stream,
      [
        {
          id: deterministicId('intake', messageId, orderId),
          type: 'IntakeMessageRegistered',
          data: { messageId, orderId, messageSha256 } satisfies Registered,
          metadata: {
            correlationId: orderId,
            causationId: null,
            actor,
            occurredAt: clock.now().toISOString(),
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return { kind: 'new', orderId };
  } catch (error) {
    if (!isWrongExpectedRevision(error)) throw error;
    return (await existing())!;
  }
};
