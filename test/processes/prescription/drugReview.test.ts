import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { drugReviewProcess } from '../../../src/processes/prescription/drugReview.js';
import { ordersProjection } from '../../../src/projections/orders/ordersProjection.js';
import {
  catalogueRow,
  eventsAfter,
  fakePool,
  givenOrder,
  ORDER_ID,
  orderHistory,
  prescriptionDeps,
  processContext,
  recordedEvent,
} from './support.js';

const held: OrderEvent = {
  type: 'DrugReviewRequired',
  data: { ndc11: '00074055402', reason: 'not_in_catalogue', message: 'a pharmacist must classify it' },
};
const heldHistory = [...orderHistory.enrolled, held];

const classified = recordedEvent('drug-00074055402', {
  type: 'DrugClassified',
  data: {
    ndc11: '00074055402',
    storageClass: 'refrigerated',
    changes: {},
    reason: 'label says 2–8 °C',
    source: 'pharmacist',
  },
});

describe('drug review', () => {
  it('given an order held for a drug its own stream already classifies, when the hold is handled, then the order is released', async () => {
    const { deps } = prescriptionDeps();
    deps.catalogue = { load: async () => catalogueRow({ storageClass: 'refrigerated' }).data };
    const event = await givenOrder(deps, heldHistory);
    const pm = drugReviewProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, heldHistory.length)).toEqual([
      { type: 'DrugReviewCleared', data: { ndc11: '00074055402', storageClass: 'refrigerated' } },
    ]);
  });

  it('given an order held for an unclassified drug, when the hold is handled, then it stays held', async () => {
    const { deps } = prescriptionDeps();
    const event = await givenOrder(deps, heldHistory);
    const pm = drugReviewProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, heldHistory.length)).toEqual([]);
  });

  it('given orders held for a drug, when a pharmacist classifies it, then the orders read model is awaited and each held order released', async () => {
    const { pool, statements } = fakePool([["status = 'awaiting_drug_review'", [{ order_id: ORDER_ID }]]]);
    const { deps } = prescriptionDeps(pool);
    deps.catalogue = { load: async () => catalogueRow({ storageClass: 'refrigerated' }).data };
    await givenOrder(deps, heldHistory);
    const pm = drugReviewProcess(deps);
    const { context, readModelsAwaited } = processContext(pm.name, classified, deps.clock);

    await pm.handle(classified, context);

    expect(readModelsAwaited).toEqual([ordersProjection.name]);
    expect(statements.map((s) => s.params)).toEqual([['00074055402']]);
    expect(await eventsAfter(deps, heldHistory.length)).toEqual([
      { type: 'DrugReviewCleared', data: { ndc11: '00074055402', storageClass: 'refrigerated' } },
    ]);
  });
});
