import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';

/** Reads of one resource by one principal within this window are one access record. */
export const ACCESS_WINDOW_MS = 60_000;

/**
 * Every read of patient data is an event in the subject's access stream, so it reaches the
 * hash-chained audit trail like any change: who read what, when, and through which resource.
 * A page that polls would otherwise write an event per poll: the same principal reading the same
 * resource within a minute is recorded once (its id derives from them and the minute, so the store
 * keeps the first), while every distinct principal and resource is recorded each time.
 */
export type PatientDataAccess = {
  subjectId: string;
  actor: string;
  resource: string;
  correlationId?: string;
};

const accessRecordId = (access: PatientDataAccess, window: number) =>
  deterministicId('patient-data-access', access.subjectId, access.actor, access.resource, window);

export const recordPatientDataAccess = (store: EventStore, clock: Clock, access: PatientDataAccess) => {
  const now = clock.now();
  const window = Math.floor(now.getTime() / ACCESS_WINDOW_MS);
  return store.appendToStream(`access-${access.subjectId}`, [
    {
      id: accessRecordId(access, window),
      type: 'PatientDataAccessed',
      data: { resource: access.resource, purpose: 'treatment-operations' },
      metadata: {
        correlationId: access.correlationId ?? access.subjectId,
        causationId: null,
        actor: access.actor,
        occurredAt: now.toISOString(),
      },
    },
  ]);
};

/**
 * The access records of one process: a record this process already wrote in the current window is
 * not sent again (the store would keep the first anyway; this spares the round trip a polling page
 * would cost on every poll). Another process writing the same record is still answered by the store.
 */
export const createAccessRecorder = (store: EventStore, clock: Clock) => {
  let window = -1;
  let written = new Set<string>();
  return async (access: PatientDataAccess): Promise<void> => {
    const now = Math.floor(clock.now().getTime() / ACCESS_WINDOW_MS);
    if (now !== window) {
      window = now;
      written = new Set();
    }
    const id = accessRecordId(access, now);
    if (written.has(id)) return;
    await recordPatientDataAccess(store, clock, access);
    // Only once the store has it: a failed append is tried again by the next read.
    written.add(id);
  };
};
