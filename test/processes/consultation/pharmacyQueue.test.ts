import { describe, expect, it } from 'vitest';
import {
  autoDispatchProcess,
  pharmacyQueueProcess,
} from '../../../src/processes/consultation/pharmacyQueue.js';
import { journey, month } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld } from './harness.js';

const j = journey();

describe('the pharmacy queue process manager', () => {
  it('given a cold-chain supply entering the pharmacy queue, when it is handled, then the pharmacy team is e-mailed with the cold chain called out', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    const entered = await world.last('PharmacyQueueEntered');
    const pm = pharmacyQueueProcess(world.deps);

    await world.deliver(pm, entered);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]).toMatchObject({
      to: 'pharmacy@northfield.example',
      idempotencyKey: world.contextFor(pm, entered).idempotencyKey('email'),
    });
    expect(world.mails[0]!.text).toContain('COLD CHAIN');
    expect(world.mails[0]!.text).toContain(
      `https://pharmacy.example/pharmacy/consultations/${CONSULTATION_ID}`,
    );
  });
});

describe('the auto-dispatch process manager', () => {
  it('given month 2 of a plan entering the pharmacy queue with stock on the shelf, when it is handled, then its slip is recorded and it is packed by the system', async () => {
    const world = consultationWorld();
    await world.stock.receive(j.product, 10, 'delivery', {
      actor: 'test',
      commandId: 'b3c3e0a4-0d5e-4d0e-9b7e-6f1a2b3c4d5e',
    });
    await world.given([...j.delivered, ...month(2, '2026-04-03T10:05:00.000Z').charged]);
    const entered = await world.last('PharmacyQueueEntered');

    await world.deliver(autoDispatchProcess(world.deps), entered);

    const appended = await world.appendedAfter(entered);
    expect(appended.map((e) => e.type)).toEqual(['DispensingSlipPrinted', 'SupplyPacked']);
    expect(appended[1]!.data).toMatchObject({ supplyNumber: 2, staffId: 'system:auto-dispatch' });
  });

  it('given the first month entering the pharmacy queue, when it is handled, then nothing is packed: a person handles the first supply', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    const entered = await world.last('PharmacyQueueEntered');

    await world.deliver(autoDispatchProcess(world.deps), entered);

    expect(await world.appendedAfter(entered)).toEqual([]);
  });
});
