import {
  type Account,
  type AccountEvent,
  accountStream,
  emptyAccount,
  evolveAccount,
} from '../../domain/consultation/account.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId } from '../../platform/ids.js';

export const loadAccount = async (store: EventStore, consultationId: string): Promise<Account> =>
  (await store.readStream(accountStream(consultationId))).reduce(evolveAccount, emptyAccount());

/**
 * Appends one fact to the account stream. `idParts` name its cause: the same cause gives the same
 * event id, so the store keeps the first and a retry changes nothing.
 */
export const recordAccountFact = async (
  store: EventStore,
  clock: Clock,
  consultationId: string,
  event: AccountEvent,
  meta: {
    actor: string;
    idParts: readonly (string | number)[];
    causationId?: string | null;
    /** The trigger's correlation id, so the fact follows the request that began it; else the consultation. */
    correlationId?: string;
  },
): Promise<boolean> => {
  const id = deterministicId('consultation-account', consultationId, event.type, ...meta.idParts);
  const result = await store.appendToStream(accountStream(consultationId), [
    {
      id,
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: meta.correlationId ?? consultationId,
        causationId: meta.causationId ?? null,
        actor: meta.actor,
        occurredAt: clock.now().toISOString(),
      },
    },
  ]);
  return result.written;
};
