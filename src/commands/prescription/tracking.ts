import type { TrackingUpdate } from '../../integrations/shipping/port.js';
import type { Clock } from '../../platform/clock.js';
import type { OrderCommands } from './orderCommands.js';

/** Records a carrier update once (by tracking number, status and time) whichever way it arrived. */
export const recordTracking = async (
  deps: { commands: OrderCommands; clock: Clock },
  orderId: string,
  update: TrackingUpdate,
  actor: string,
) => {
  if (update.status === 'pre_transit' || update.status === 'unknown') return;
  await deps.commands.execute(
    orderId,
    {
      type: 'RecordTracking',
      status: update.status,
      statusDate: update.statusDate,
      details: update.details ?? null,
      now: deps.clock.now().toISOString(),
      source: 'carrier',
      ...(update.sequence !== undefined ? { sequence: update.sequence } : {}),
    },
    { actor, commandId: `tracking:${update.trackingNumber}:${update.status}:${update.statusDate}` },
  );
};
