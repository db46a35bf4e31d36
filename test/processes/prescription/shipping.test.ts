import { describe, expect, it } from 'vitest';
import { orderStream } from '../../../src/domain/prescription/order.js';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { shippingProcess } from '../../../src/processes/prescription/shipping.js';
import {
  catalogueRow,
  eventsAfter,
  fakePool,
  givenOrder,
  NOW,
  ORDER_ID,
  orderHistory,
  pharmacyRow,
  prescriptionDeps,
  processContext,
  recordedEvent,
  sampleLabel,
  sampleQuote,
} from './support.js';

/** The read models shipping asks: the selected pharmacy and the drug's catalogue entry. */
const readModels = () =>
  fakePool([
    ['FROM pharmacies WHERE pharmacy_id', [pharmacyRow('PH-1')]],
    ['FROM drug_catalogue WHERE ndc11', [catalogueRow({ storageClass: 'refrigerated' })]],
  ]);

const recordedLabel = {
  shipmentId: sampleLabel.shipmentId,
  transactionId: sampleLabel.transactionId,
  carrier: sampleLabel.carrier,
  serviceLevel: sampleLabel.serviceLevel,
  trackingNumber: sampleLabel.trackingNumber,
  labelUrl: sampleLabel.labelUrl,
  trackingUrl: sampleLabel.trackingUrl,
  costMinor: sampleLabel.amountMinor,
  coldChain: true,
  storageClass: 'refrigerated',
};

describe('shipping', () => {
  it('given a paid order, when handled, then a cold-chain label is quoted, recorded as started, bought, recorded, and its tracking poll scheduled', async () => {
    const { deps, calls } = prescriptionDeps(readModels().pool);
    const event = await givenOrder(deps, orderHistory.paid);
    const pm = shippingProcess(deps);
    const { context, scheduled } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(calls.quotes).toHaveLength(1);
    expect(calls.quotes[0]).toMatchObject({
      idempotencyKey: context.idempotencyKey('label'),
      from: { name: 'Scioto Specialty Pharmacy', street1: '50 W Broad St', state: 'OH', zip: '43215' },
      to: { name: 'Adaeze Okafor', street1: '418 Larch Street', city: 'Columbus', state: 'OH', zip: '43215' },
      parcel: { lengthIn: 12, widthIn: 10, heightIn: 9, weightOz: 72 },
      storageClass: 'refrigerated',
      orderRef: ORDER_ID,
    });
    expect(calls.purchases).toEqual([expect.objectContaining({ rateId: sampleQuote.rateId })]);
    const added = await eventsAfter(deps, orderHistory.paid.length);
    expect(added.map((e) => e.type)).toEqual(['ShippingLabelPurchaseStarted', 'ShippingLabelPurchased']);
    expect(added[1]!.data).toMatchObject(recordedLabel);
    expect(scheduled).toEqual([
      {
        name: 'poll',
        key: sampleLabel.trackingNumber,
        dueAt: new Date(NOW.getTime() + deps.trackingPollMs),
        payload: { orderId: ORDER_ID, carrier: 'ups', trackingNumber: sampleLabel.trackingNumber, polls: 1 },
      },
    ]);
  });

  it('given a purchase started before a crash and bought at the carrier, when redelivered, then that label is adopted, not bought again', async () => {
    const { deps, calls, answers } = prescriptionDeps(readModels().pool);
    answers.findPurchasedLabel = async () => sampleLabel;
    const started: OrderEvent = {
      type: 'ShippingLabelPurchaseStarted',
      data: { ...sampleQuote, coldChain: true },
    };
    const [paid] = orderHistory.paid.slice(-1);
    const history = [...orderHistory.paid, started];
    await givenOrder(deps, history);
    const pm = shippingProcess(deps);
    const event = recordedEvent(orderStream(ORDER_ID), paid!, { revision: orderHistory.paid.length - 1 });

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(calls.quotes).toEqual([]);
    expect(calls.purchases).toEqual([]);
    expect((await eventsAfter(deps, history.length)).map((e) => e.type)).toEqual(['ShippingLabelPurchased']);
  });

  it('given a parcel in transit, when the poll finds it delivered, then the delivery is recorded and polling stops', async () => {
    const { deps, calls, answers, clock } = prescriptionDeps();
    clock.set('2026-11-23T16:00:00Z'); // after the scan: a scan dated a day ahead of now is ignored
    answers.getTracking = async (carrier, trackingNumber) => ({
      carrier,
      trackingNumber,
      status: 'delivered',
      statusDate: '2026-11-23T15:00:00Z',
    });
    await givenOrder(deps, orderHistory.inTransit);
    const pm = shippingProcess(deps);
    const { context, scheduled } = processContext(pm.name, { id: 'poll:1Z:3' }, deps.clock);

    await pm.timers!.poll!({ orderId: ORDER_ID, carrier: 'UPS', trackingNumber: '1Z', polls: 3 }, context);

    expect(calls.tracked).toEqual(['1Z']);
    expect(await eventsAfter(deps, orderHistory.inTransit.length)).toEqual([
      {
        type: 'DeliveryStatusUpdated',
        data: expect.objectContaining({ status: 'delivered', statusDate: '2026-11-23T15:00:00Z' }),
      },
    ]);
    expect(scheduled).toEqual([]);
  });

  it('given a parcel in transit, when the poll finds it still moving, then the next poll is scheduled', async () => {
    const { deps } = prescriptionDeps();
    await givenOrder(deps, orderHistory.inTransit);
    const pm = shippingProcess(deps);
    const { context, scheduled } = processContext(pm.name, { id: 'poll:1Z:3' }, deps.clock);

    await pm.timers!.poll!({ orderId: ORDER_ID, carrier: 'UPS', trackingNumber: '1Z', polls: 3 }, context);

    expect(scheduled).toEqual([
      {
        name: 'poll',
        key: '1Z:4',
        dueAt: new Date(NOW.getTime() + deps.trackingPollMs),
        payload: { orderId: ORDER_ID, carrier: 'UPS', trackingNumber: '1Z', polls: 4 },
      },
    ]);
  });
});
