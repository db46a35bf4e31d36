import { describe, expect, it } from 'vitest';
import { patientTextsProcess } from '../../../src/processes/consultation/patientTexts.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { consultationWorld } from './harness.js';

const j = journey();

describe('the patient texts process manager', () => {
  it('given a patient who chose SMS updates, when their order is dispatched, then they are texted the tracking number', async () => {
    const world = consultationWorld();
    await world.given(j.dispatched);
    await world.givenAccount({ type: 'SmsUpdatesChosen', data: { phone: '+447700900123' } });
    const dispatched = await world.last('OrderDispatched');
    const pm = patientTextsProcess(world.deps);

    await world.deliver(pm, dispatched);

    expect(world.texts).toEqual([
      {
        to: '+447700900123',
        body: 'Northfield Online Pharmacy: your order has been dispatched by Royal Mail, tracking number RM123456785GB. Reply STOP to opt out.',
        idempotencyKey: world.contextFor(pm, dispatched).idempotencyKey('sms'),
      },
    ]);
  });

  it('given a patient who did not choose SMS updates, when their order is delivered, then no text is sent', async () => {
    const world = consultationWorld();
    await world.given(j.delivered);

    await world.deliver(patientTextsProcess(world.deps), await world.last('SupplyDelivered'));

    expect(world.texts).toEqual([]);
  });
});
