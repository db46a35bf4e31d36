import { describe, expect, it } from 'vitest';
import { accountStream } from '../../../src/domain/consultation/account.js';
import { instalmentsProcess } from '../../../src/processes/consultation/instalments.js';
import { journey, month } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, NOW } from './harness.js';

const j = journey();

describe('the instalments process manager', () => {
  it('given a 3-month plan just started, when it is handled, then charges 2 and 3 are armed on their days', async () => {
    const world = consultationWorld();
    await world.given(j.prescribed);
    const [month2, month3] = j.prescribed.flatMap((e) =>
      e.type === 'PlanStarted' ? e.data.instalmentChargesDueAt : [],
    );

    await world.deliver(instalmentsProcess(world.deps), await world.last('PlanStarted'));

    expect(world.scheduled).toEqual([
      {
        name: 'charge-due',
        key: `${CONSULTATION_ID}:2:1`,
        dueAt: new Date(month2!),
        payload: { consultationId: CONSULTATION_ID, chargeNumber: 2, dueAt: month2, attempt: 1 },
      },
      {
        name: 'charge-due',
        key: `${CONSULTATION_ID}:3:1`,
        dueAt: new Date(month3!),
        payload: { consultationId: CONSULTATION_ID, chargeNumber: 3, dueAt: month3, attempt: 1 },
      },
    ]);
  });

  it('given month 1 delivered and a saved card, when charge 2 falls due, then the card is charged the monthly price and the charge recorded', async () => {
    const world = consultationWorld();
    const history = await world.given(j.delivered);
    await world.givenAccount(
      { type: 'StripeCustomerLinked', data: { customerId: 'cus_1', checkoutSessionId: 'cs_1' } },
      { type: 'InstalmentChargeDue', data: { chargeNumber: 2, dueAt: NOW, attempt: 1 } },
    );
    const due = await world.last('InstalmentChargeDue', accountStream(CONSULTATION_ID));
    const pm = instalmentsProcess(world.deps);

    await world.deliver(pm, due);

    expect(world.calls).toHaveLength(1);
    expect(world.calls[0]).toMatchObject({
      port: 'payments',
      method: 'chargeSavedCard',
      input: {
        idempotencyKey: world.contextFor(pm, due).idempotencyKey('charge'),
        customerId: 'cus_1',
        amountMinor: j.price.monthlyPence,
        currency: 'gbp',
        metadata: {
          flow: 'consultation',
          consultationId: CONSULTATION_ID,
          kind: 'instalment',
          chargeNumber: '2',
        },
      },
    });
    const appended = await world.appendedAfter(history.at(-1)!);
    expect(appended[0]).toMatchObject({
      type: 'InstalmentChargeSucceeded',
      data: { chargeNumber: 2, paymentIntentId: 'pi_month_2', amountPence: j.price.monthlyPence },
    });
  });

  it('given month 1 not yet delivered, when charge 2 falls due, then nothing is charged and it is looked at again a day later', async () => {
    const world = consultationWorld();
    await world.given(j.dispatchPending);
    await world.givenAccount(
      { type: 'StripeCustomerLinked', data: { customerId: 'cus_1', checkoutSessionId: 'cs_1' } },
      { type: 'InstalmentChargeDue', data: { chargeNumber: 2, dueAt: NOW, attempt: 1 } },
    );

    await world.deliver(
      instalmentsProcess(world.deps),
      await world.last('InstalmentChargeDue', accountStream(CONSULTATION_ID)),
    );

    expect(world.calls).toEqual([]);
    expect(world.scheduled).toEqual([
      {
        name: 'charge-due',
        key: `${CONSULTATION_ID}:2:2`,
        dueAt: new Date('2026-03-06T09:00:00.000Z'),
        payload: { consultationId: CONSULTATION_ID, chargeNumber: 2, dueAt: NOW, attempt: 2 },
      },
    ]);
  });

  it('given charge 2 already paid, when its due fact is delivered again, then nothing is charged', async () => {
    const world = consultationWorld();
    await world.given([...j.delivered, ...month(2, NOW).charged]);
    await world.givenAccount(
      { type: 'StripeCustomerLinked', data: { customerId: 'cus_1', checkoutSessionId: 'cs_1' } },
      { type: 'InstalmentChargeDue', data: { chargeNumber: 2, dueAt: NOW, attempt: 1 } },
    );

    await world.deliver(
      instalmentsProcess(world.deps),
      await world.last('InstalmentChargeDue', accountStream(CONSULTATION_ID)),
    );

    expect(world.calls).toEqual([]);
    expect(world.scheduled).toEqual([]);
  });
});
