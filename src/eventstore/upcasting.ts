import type { EventToAppend, RecordedEvent } from './types.js';

/**
 * Turns an event's data written at schema version `from` into the shape of version `from + 1`.
 * Pure: an event is never rewritten in the store, it is read as its newest shape.
 */
export type Upcaster = { type: string; from: number; up(data: unknown): unknown };

/** The version events carried before versions were recorded, and of every type never reshaped. */
export const FIRST_SCHEMA_VERSION = 1;

let upcasters: readonly Upcaster[] = [];

/**
 * The upcasters every adapter applies when it reads. Set once by the composition root from the
 * domain's list (the store knows no event type); a later call replaces the list.
 */
export const useUpcasters = (list: readonly Upcaster[]) => {
  upcasters = list;
};

/** The version a new event of this type is written at: one past its newest upcaster's `from`. */
export const currentSchemaVersion = (type: string) =>
  upcasters.reduce(
    (version, u) => (u.type === type ? Math.max(version, u.from + 1) : version),
    FIRST_SCHEMA_VERSION,
  );

/** An event about to be appended, its metadata stamped with the version its data is written at. */
export const withSchemaVersion = <E extends EventToAppend>(event: E): E =>
  event.metadata.schemaVersion === undefined
    ? { ...event, metadata: { ...event.metadata, schemaVersion: currentSchemaVersion(event.type) } }
    : event;

const AS_STORED = Symbol('asStored');

/**
 * The event exactly as the store holds it, before any upcaster: what the audit trail hashes, so
 * adding an upcaster later never makes an audited event look altered.
 */
export const asStored = (event: RecordedEvent): RecordedEvent =>
  (event as RecordedEvent & { [AS_STORED]?: RecordedEvent })[AS_STORED] ?? event;

/** A stored event read as its type's newest shape, applying each upcaster from its version on. */
export const upcast = <E extends RecordedEvent>(event: E): E => {
  let version = Number(event.metadata.schemaVersion ?? FIRST_SCHEMA_VERSION);
  let data = event.data;
  for (;;) {
    const step = upcasters.find((u) => u.type === event.type && u.from === version);
    if (!step) break;
    data = step.up(data);
    version += 1;
  }
  return version === Number(event.metadata.schemaVersion ?? FIRST_SCHEMA_VERSION)
    ? event
    : { ...event, data, metadata: { ...event.metadata, schemaVersion: version }, [AS_STORED]: event };
};
