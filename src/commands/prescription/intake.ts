import { createHash } from 'node:crypto';
import type { MessageHeader } from '../../domain/prescription/types.js';
import type { EventStore } from '../../eventstore/types.js';
import { idFromKey } from '../../platform/ids.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The order a NewRx makes, derived from its sender and MessageID (NCPDP makes the ID unique per
 * sender): appending the order's first event with `no_stream` is the claim on the message, so intake
 * commits once, and a repeat of the message finds the order it made.
 */
export const intakeOrderId = (header: MessageHeader) =>
  idFromKey('newrx', header.from?.qualifier ?? '', header.from?.id ?? '', header.messageId);

/**
 * Before order ids derived from the message, intake claimed each MessageID in a stream of its own
 * and gave the order a random id. Those claims stay authoritative for the messages they hold.
 */
export const intakeStream = (messageId: string) => `intake-${sha256(messageId).slice(0, 40)}`;

export type LegacyClaim = { kind: 'repeat' | 'conflict'; orderId: string };

type Registered = { messageId: string; orderId: string; messageSha256: string };

/** The order an earlier claim stream gave `messageId`, judged against this body; null when none. */
export const legacyIntakeClaim = async (
  store: EventStore,
  messageId: string,
  rawMessage: string,
): Promise<LegacyClaim | null> => {
  const [first] = await store.readStream(intakeStream(messageId), { maxCount: 1 });
  if (!first) return null;
  const registered = first.data as Registered;
  return {
    kind: registered.messageSha256 === sha256(rawMessage) ? 'repeat' : 'conflict',
    orderId: registered.orderId,
  };
};
