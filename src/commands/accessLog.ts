import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { newUuid } from '../platform/ids.js';

/**
 * Every read of patient data is an event in the order's access stream, so it reaches the
 * hash-chained audit trail like any change: who read what, when, and through which resource.
 */
export const recordPatientDataAccess = (
  store: EventStore,
  clock: Clock,
  access: { subjectId: string; actor: string; resource: string; correlationId?: string },
) =>
  store.appendToStream(`access-${access.subjectId}`, [
    {
      id: newUuid(),
      type: 'PatientDataAccessed',
      data: { resource: access.resource, purpose: 'treatment-operations' },
      metadata: {
        correlationId: access.correlationId ?? access.subjectId,
        causationId: null,
        actor: access.actor,
        occurredAt: clock.now().toISOString(),
      },
    },
  ]);
