import { VendorRejectedError, VendorUnavailableError } from '../integrations/errors.js';
import type { Metrics } from '../platform/metrics.js';
import type { ProcessManager } from './runtime.js';

const outcomeOf = (error: unknown) =>
  error instanceof VendorUnavailableError
    ? { outcome: 'vendor_unavailable', vendor: error.vendor }
    : error instanceof VendorRejectedError
      ? { outcome: 'vendor_rejected', vendor: error.vendor }
      : { outcome: 'failed', vendor: '' };

/**
 * The same process manager, counting each delivery's outcome: handled, a vendor unreachable (the
 * runtime schedules a retry), a vendor refusing, or another failure (retried, then parked).
 */
export const observedProcess = (
  pm: ProcessManager,
  metrics: Pick<Metrics, 'deliveries'>,
): ProcessManager => ({
  ...pm,
  async handle(event, context) {
    try {
      await pm.handle(event, context);
      metrics.deliveries.inc({ process: pm.name, outcome: 'ok', vendor: '' });
    } catch (error) {
      metrics.deliveries.inc({ process: pm.name, ...outcomeOf(error) });
      throw error;
    }
  },
});
