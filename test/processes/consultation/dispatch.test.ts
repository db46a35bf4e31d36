import { describe, expect, it } from 'vitest';
import { accountStream } from '../../../src/domain/consultation/account.js';
import { dispatchProcess } from '../../../src/processes/consultation/dispatch.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, NOW, patientRecorded } from './harness.js';

const j = journey();

describe('the dispatch process manager', () => {
  it('given a packed cold-chain supply, when the packing is handled, then Royal Mail books a chilled parcel, its label is stored, the order is dispatched and a tracking poll is armed', async () => {
    const world = consultationWorld();
    await world.given(j.packed);
    await world.givenAccount(patientRecorded);
    const packed = await world.last('SupplyPacked');
    const pm = dispatchProcess(world.deps);

    await world.deliver(pm, packed);

    const booking = world.calls.filter((c) => c.port === 'dispatch');
    expect(booking.map((c) => c.method)).toEqual(['createShipment']);
    expect(booking[0]!.input).toMatchObject({
      idempotencyKey: world.contextFor(pm, packed).idempotencyKey('shipment'),
      orderReference: `${CONSULTATION_ID}-1`,
      recipient: {
        name: 'Sam Carter',
        addressLine1: '2 Mill Lane',
        city: 'Leeds',
        postcode: 'LS2 7EW',
        countryCode: 'GB',
      },
      packages: [{ weightGrams: 900, packageFormat: 'smallParcel' }],
    });
    expect(world.stored.has(`consultations/${CONSULTATION_ID}/label-1-rm-ship-1.pdf`)).toBe(true);
    const appended = await world.appendedAfter(packed);
    expect(appended.map((e) => e.type)).toEqual(['OrderDispatched']);
    expect(appended[0]!.data).toMatchObject({
      supplyNumber: 1,
      shipmentId: 'rm-ship-1',
      trackingNumber: 'RM123456785GB',
    });
    expect(world.scheduled).toEqual([
      {
        name: 'poll',
        key: 'RM123456785GB',
        dueAt: new Date(Date.parse(NOW) + world.deps.trackingPollMs),
        payload: { trackingNumber: 'RM123456785GB', polls: 1 },
      },
    ]);
  });

  it('given a supply already dispatched, when its packing is delivered again, then nothing is booked twice', async () => {
    const world = consultationWorld();
    await world.given(j.dispatched);
    await world.givenAccount(patientRecorded);

    await world.deliver(dispatchProcess(world.deps), await world.last('SupplyPacked'));

    expect(world.calls).toEqual([]);
    expect(world.scheduled).toEqual([]);
  });

  it('given a packing that a request began, when it is handled, then the shipment facts and the dispatch carry that request as their correlation and the packing as their cause', async () => {
    const world = consultationWorld();
    await world.given(j.packed);
    await world.givenAccount(patientRecorded);
    const packed = await world.last('SupplyPacked');
    const begun = { ...packed, metadata: { ...packed.metadata, correlationId: 'request-42' } };

    await world.deliver(dispatchProcess(world.deps), begun);

    const caused = [
      ...(await world.appendedAfter(packed)),
      ...(await world.store.readStream(accountStream(CONSULTATION_ID))).filter(
        (e) => e.type === 'VendorRecordRequested',
      ),
    ];
    expect(caused.map((e) => e.type).sort()).toEqual(['OrderDispatched', 'VendorRecordRequested']);
    for (const event of caused)
      expect(event.metadata).toMatchObject({ correlationId: 'request-42', causationId: packed.id });
  });
});
