/** One holder of a named lease across every process sharing the store. */
export type Lease = {
  /** Resolves once this instance holds the lease; rejects if `release` is called first. */
  acquired: Promise<void>;
  /** True while the lease is held. */
  isHeld(): boolean;
  /**
   * Resolves when a held lease is lost (connection gone) or asked back so that another instance can
   * share the work; either way `isHeld` turns false and the holder must stop consuming, then
   * `release` (a lease asked back stays locked until released, so no two consumers overlap).
   */
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
