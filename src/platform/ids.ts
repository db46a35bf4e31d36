import { randomUUID } from 'node:crypto';
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
