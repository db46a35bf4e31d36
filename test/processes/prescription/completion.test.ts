import { describe, expect, it } from 'vitest';
import { completionProcess } from '../../../src/processes/prescription/shipping.js';
import { eventsAfter, givenOrder, orderHistory, prescriptionDeps, processContext } from './support.js';

const delivered = (status: string) => ({
  type: 'DeliveryStatusUpdated' as const,
  data: { status, statusDate: '2026-11-23T15:00:00Z', details: null },
});

describe('completion', () => {
  it('given a parcel reported delivered, when handled, then the order is completed at the time of handling', async () => {
    const { deps } = prescriptionDeps();
    const history = [...orderHistory.inTransit, delivered('delivered')] as never[];
    const event = await givenOrder(deps, history);
    const pm = completionProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, history.length)).toEqual([
      { type: 'OrderCompleted', data: { completedAt: deps.clock.now().toISOString() } },
    ]);
  });

  it('given a parcel still in transit, when handled, then nothing is issued', async () => {
    const { deps } = prescriptionDeps();
    const event = await givenOrder(deps, orderHistory.inTransit);
    const pm = completionProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, orderHistory.inTransit.length)).toEqual([]);
  });
});
