/** One holder of a named lease across every process sharing the store. */
export type Lease = {
  /** Resolves once this instance holds the lease; rejects if `release` is called first. */
  acquired: Promise<void>;
  /** True while the lease is held. */
  isHeld(): boolean;
  /** Resolves when a held lease is lost (connection gone); the holder must stop consuming. */
  lost: Promise<void>;
  release(): Promise<void>;
};

/**
 * The lease port: who consumes a subscription group, or rebuilds a projection, right now. A holder
 * that dies or hangs loses its lease within seconds; whoever waits takes it over.
 */
export type Leases = {
  /** Starts waiting for the lease `name` under `holder` (a label for people looking on). */
  acquire(name: string, holder: string): Lease;
};
