import { createHash, randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { v5 as uuidv5 } from 'uuid';

const ulid = monotonicFactory();

/** Aggregate ids are ULIDs: sortable by creation time, safe in URLs. */
export const newId = (): string => ulid();

export const newUuid = (): string => randomUUID();

const NAMESPACE = '6f1d2c3b-8a4e-4f51-9b6d-0c2e7a9f4d11';

/**
 * A UUID derived from its inputs: the same cause always yields the same id, so a redelivered event
 * produces the same command and event ids and the store discards the duplicate.
 */
export const deterministicId = (...parts: readonly (string | number)[]): string =>
  uuidv5(parts.join('\u001f'), NAMESPACE);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * An aggregate id in the ULID shape (26 Crockford base32 characters, the first below 8) derived from
 * its inputs: the same key always names the same aggregate, so appending its first event with
 * `no_stream` is itself the claim on the key. Unlike a ULID it does not sort by creation time.
 */
export const idFromKey = (...parts: readonly string[]): string => {
  const digest = createHash('sha256').update(parts.join('\u001f')).digest();
  return Array.from({ length: 26 }, (_, i) => CROCKFORD[i === 0 ? digest[i]! % 8 : digest[i]! % 32]).join('');
};
