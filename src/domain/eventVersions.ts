/** Reads data written at schema version `from` as version `from + 1` (the store applies these). */
type Upcaster = { type: string; from: number; up(data: unknown): unknown };

type RegistrationV1 = {
  ncpdpId?: string | null;
  location?: unknown;
  currentLoad?: unknown;
  capabilities: { frozen?: boolean; limitedDistribution?: string[] } & Record<string, unknown>;
} & Record<string, unknown>;

/**
 * Version 2 of `PharmacyRegistered` names every capability and carries no load: version 1
 * registrations were written before freezers and limited-distribution lists were capabilities,
 * before NCPDP ids and locations were kept, and with a random `currentLoad` that routing must never
 * read from an event.
 */
const pharmacyRegisteredV2: Upcaster = {
  type: 'PharmacyRegistered',
  from: 1,
  up(data) {
    const { currentLoad: _load, ...registration } = data as RegistrationV1;
    return {
      ...registration,
      ncpdpId: registration.ncpdpId ?? null,
      location: registration.location ?? null,
      capabilities: {
        ...registration.capabilities,
        frozen: registration.capabilities.frozen ?? false,
        limitedDistribution: registration.capabilities.limitedDistribution ?? [],
      },
    };
  },
};

/** Every reshaped event type's upcasters, oldest first; the event store applies them when it reads. */
export const EVENT_UPCASTERS: readonly Upcaster[] = [pharmacyRegisteredV2];
