import { describe, expect, it } from 'vitest';
import { EMPTY_NETWORK_MESSAGE, routingProcess } from '../../../src/processes/prescription/routing.js';
import { drugCatalogueProjection } from '../../../src/projections/catalogue/drugCatalogueProjection.js';
import { ordersProjection } from '../../../src/projections/orders/ordersProjection.js';
import { pharmaciesProjection } from '../../../src/projections/pharmacies.js';
import {
  catalogueRow,
  eventsAfter,
  fakePool,
  givenOrder,
  ORDER_ID,
  orderHistory,
  pharmacyRow,
  prescriptionDeps,
  processContext,
  recordedEvent,
} from './support.js';

const CATALOGUE = 'FROM drug_catalogue WHERE ndc11';
const NETWORK = 'FROM pharmacies p';

describe('routing', () => {
  it('given an enrolled order whose drug is classified, when handled, then the read models are awaited and the eligible pharmacies recommended', async () => {
    const { pool } = fakePool([
      [CATALOGUE, [catalogueRow({ storageClass: 'refrigerated' })]],
      [NETWORK, [pharmacyRow('PH-1')]],
    ]);
    const { deps } = prescriptionDeps(pool);
    const event = await givenOrder(deps, orderHistory.enrolled);
    const pm = routingProcess(deps);
    const { context, readModelsAwaited } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(readModelsAwaited).toEqual([
      drugCatalogueProjection.name,
      pharmaciesProjection.name,
      ordersProjection.name,
    ]);
    const added = await eventsAfter(deps, orderHistory.enrolled.length);
    expect(added).toEqual([
      {
        type: 'PharmaciesRecommended',
        data: {
          status: 'awaiting_pharmacy_selection',
          recommendations: [
            expect.objectContaining({ pharmacyId: 'PH-1', name: 'Scioto Specialty Pharmacy' }),
          ],
        },
      },
    ]);
  });

  it('given an enrolled order whose drug the catalogue has never heard of, when handled, then it is held for a pharmacist', async () => {
    const { pool } = fakePool([[CATALOGUE, []]]);
    const { deps } = prescriptionDeps(pool);
    const event = await givenOrder(deps, orderHistory.enrolled);
    const pm = routingProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, orderHistory.enrolled.length)).toEqual([
      {
        type: 'DrugReviewRequired',
        data: {
          ndc11: '00074055402',
          reason: 'not_in_catalogue',
          message: expect.stringContaining('00074055402'),
        },
      },
    ]);
  });

  it('given an enrolled order and an empty network, when handled, then routing is recorded as blocked on the empty network', async () => {
    const { pool } = fakePool([
      [CATALOGUE, [catalogueRow({ storageClass: 'refrigerated' })]],
      [NETWORK, []],
    ]);
    const { deps } = prescriptionDeps(pool);
    const event = await givenOrder(deps, orderHistory.enrolled);
    const pm = routingProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(await eventsAfter(deps, orderHistory.enrolled.length)).toEqual([
      { type: 'RoutingBlocked', data: { reason: 'empty_network', message: EMPTY_NETWORK_MESSAGE } },
    ]);
  });

  it('given an order blocked on an empty network, when a pharmacy registers, then the waiting order is routed to it', async () => {
    const { pool } = fakePool([
      ["detail->'routingBlock'", [{ order_id: ORDER_ID, reason: 'empty_network' }]],
      [CATALOGUE, [catalogueRow({ storageClass: 'refrigerated' })]],
      [NETWORK, [pharmacyRow('PH-1')]],
    ]);
    const { deps } = prescriptionDeps(pool);
    const history = [
      ...orderHistory.enrolled,
      {
        type: 'RoutingBlocked' as const,
        data: { reason: 'empty_network' as const, message: EMPTY_NETWORK_MESSAGE },
      },
    ];
    await givenOrder(deps, history);
    const registered = recordedEvent('pharmacy-PH-1', {
      type: 'PharmacyRegistered',
      data: pharmacyRow('PH-1').data,
    });
    const pm = routingProcess(deps);

    await pm.handle(registered, processContext(pm.name, registered, deps.clock).context);

    expect((await eventsAfter(deps, history.length)).map((e) => e.type)).toEqual(['PharmaciesRecommended']);
  });
});
