import { describe, expect, it } from 'vitest';
import { enrollmentToken } from '../../../src/commands/prescription/tokens.js';
import { orderStream } from '../../../src/domain/prescription/order.js';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { notificationsProcess } from '../../../src/processes/prescription/notifications.js';
import { enrollmentLinksProjection } from '../../../src/projections/orders/ordersProjection.js';
import { linkIssued } from '../../domain/prescription/orderHistory.js';
import {
  givenOrder,
  LINK_SECRET,
  ORDER_ID,
  orderHistory,
  prescriptionDeps,
  processContext,
  received,
  recordedEvent,
} from './support.js';

describe('patient notifications', () => {
  it('given a payment link created, when handled, then the patient is e-mailed the amount, the pay link and a status link', async () => {
    const { deps, calls } = prescriptionDeps();
    const event = await givenOrder(deps, orderHistory.awaitingPayment);
    const pm = notificationsProcess(deps);
    const { context } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(calls.texts).toEqual([]);
    expect(calls.mail).toHaveLength(1);
    const [mail] = calls.mail;
    expect(mail).toMatchObject({
      to: 'a@example.org',
      subject: 'Your copay is ready to pay',
      idempotencyKey: context.idempotencyKey('email'),
    });
    expect(mail!.text).toContain('$25.00');
    expect(mail!.text).toContain('http://x');
    expect(mail!.text).toContain(`https://pharmacy.example.org/orders/${ORDER_ID}#token=`);
  });

  it('given a patient who chose texts, when a payment link is created, then the pay link is texted as well as e-mailed', async () => {
    const { deps, calls } = prescriptionDeps();
    const [first, ...rest] = orderHistory.awaitingPayment;
    const history: OrderEvent[] = [
      first!,
      { type: 'SmsNotificationsChosen', data: { phone: '+16145550142' } },
      ...rest,
    ];
    const event = await givenOrder(deps, history);
    const pm = notificationsProcess(deps);
    const { context } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(calls.texts).toEqual([
      {
        to: '+16145550142',
        body: 'Riverbend Specialty Pharmacy: your copay of $25.00 is ready. Pay securely: http://x Reply STOP to opt out.',
        idempotencyKey: context.idempotencyKey('sms'),
      },
    ]);
    expect(calls.mail.map((m) => m.subject)).toEqual(['Your copay is ready to pay']);
  });

  it('given an enrollment link issued, when handled, then the e-mail waits for the link read model and carries the enrollment link', async () => {
    const { deps, calls } = prescriptionDeps();
    const event = await givenOrder(deps, [received(), orderHistory.enrolled[1]!, linkIssued]);
    const pm = notificationsProcess(deps);
    const { context, readModelsAwaited } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(readModelsAwaited).toEqual([enrollmentLinksProjection.name]);
    expect(calls.mail).toHaveLength(1);
    expect(calls.mail[0]).toMatchObject({
      to: 'a@example.org',
      subject: 'Complete your prescription enrollment',
    });
    expect(calls.mail[0]!.text).toContain('Hello Adaeze,');
    expect(calls.mail[0]!.text).toContain(
      `https://pharmacy.example.org/enroll/${enrollmentToken(LINK_SECRET, 'L1')}`,
    );
  });

  it('given an enrollment link already replaced by a newer one, when the old one is handled, then nothing is sent', async () => {
    const { deps, calls } = prescriptionDeps();
    const newer: OrderEvent = {
      ...linkIssued,
      data: { ...linkIssued.data, linkId: 'L2', tokenHash: 'hash-2', resend: true },
    } as OrderEvent;
    const history = [received(), orderHistory.enrolled[1]!, linkIssued, newer];
    await givenOrder(deps, history);
    const pm = notificationsProcess(deps);
    const old = recordedEvent(orderStream(ORDER_ID), linkIssued, { revision: 2 });

    await pm.handle(old, processContext(pm.name, old, deps.clock).context);

    expect(calls.mail).toEqual([]);
  });
});
