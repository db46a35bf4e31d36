import type {
  EventData,
  JSONType,
  RecordedEvent as KurrentRecordedEvent,
  MetadataType,
} from '@kurrent/kurrentdb-client';
import type { EventMetadata, EventToAppend, RecordedEvent } from '../types.js';
import { upcast, withSchemaVersion } from '../upcasting.js';
import { toGlobalPosition } from './positions.js';

/**
 * An event as KurrentDB stores it: JSON data, and the port's metadata (schema version included) as
 * JSON metadata. `$correlationId` and `$causationId` are KurrentDB's own names for two of our
 * fields; stored beside them, its system projections (`$by_correlation_id`) can follow a command's
 * events.
 */
export const toEventData = (event: EventToAppend): EventData => {
  const { metadata } = withSchemaVersion(event);
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data: event.data as JSONType,
    metadata: {
      ...metadata,
      $correlationId: metadata.correlationId,
      ...(metadata.causationId === null ? {} : { $causationId: metadata.causationId }),
    } as MetadataType,
  };
};

/** The port's metadata: what the writer gave, without the `$` fields KurrentDB reads. */
const portMetadata = (stored: unknown): EventMetadata =>
  Object.fromEntries(
    Object.entries((stored ?? {}) as Record<string, unknown>).filter(([key]) => !key.startsWith('$')),
  ) as EventMetadata;

/** A stored event read as its type's newest schema version, as the other adapters read it. */
export const toRecordedEvent = (event: KurrentRecordedEvent): RecordedEvent => {
  if (event.position === undefined) {
    // Servers before 22.6 leave a stream read's events without their `$all` position.
    throw new Error(`KurrentDB returned ${event.streamId}@${event.revision} without its $all position`);
  }
  return upcast({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: portMetadata(event.metadata),
    streamName: event.streamId,
    streamRevision: Number(event.revision),
    globalPosition: toGlobalPosition(event.position),
  });
};
