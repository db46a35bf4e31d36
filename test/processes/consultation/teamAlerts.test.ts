import { describe, expect, it } from 'vitest';
import { accountStream } from '../../../src/domain/consultation/account.js';
import { consultationStream } from '../../../src/domain/consultation/consultation.js';
import { stockStream } from '../../../src/domain/consultation/stock.js';
import { teamAlertsProcess } from '../../../src/processes/consultation/teamAlerts.js';
import { weightLoss } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, recordedEvent } from './harness.js';

const caseUrl = `https://pharmacy.example/pharmacy/consultations/${CONSULTATION_ID}`;

describe('the team alerts process manager', () => {
  it('given a patient asking to cancel, when it is handled, then the pharmacy team is e-mailed the message with a link to the case', async () => {
    const world = consultationWorld();
    const event = recordedEvent(consultationStream(CONSULTATION_ID), 'CancellationRequested', {
      message: 'Please cancel, I found it cheaper',
      requestedAt: '2026-03-02T10:00:00.000Z',
    });
    const pm = teamAlertsProcess(world.deps);

    await world.deliver(pm, event);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]).toMatchObject({
      to: 'pharmacy@northfield.example',
      idempotencyKey: world.contextFor(pm, event).idempotencyKey('email'),
    });
    expect(world.mails[0]!.text).toContain('Please cancel, I found it cheaper');
    expect(world.mails[0]!.text).toContain(caseUrl);
  });

  it('given a refund Stripe could not make, when it is handled, then the pharmacy team is told why', async () => {
    const world = consultationWorld();
    const event = recordedEvent(accountStream(CONSULTATION_ID), 'RefundFailedAtStripe', {
      refundRequestId: 'rr-1',
      refundId: 're_1',
      reason: 'expired_or_canceled_card',
      stripeEventId: 'evt_1',
    });

    await world.deliver(teamAlertsProcess(world.deps), event);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]!.text).toContain('expired_or_canceled_card');
  });

  it('given stock falling to its alert threshold, when it is handled, then the pharmacy team is told how much is left', async () => {
    const world = consultationWorld();
    const event = recordedEvent(stockStream(weightLoss.id), 'LowStockReached', {
      productId: weightLoss.id,
      onHand: 3,
      threshold: 5,
      reachedAt: '2026-03-05T08:00:00.000Z',
    });

    await world.deliver(teamAlertsProcess(world.deps), event);

    expect(world.mails).toHaveLength(1);
    expect(world.mails[0]!.subject + world.mails[0]!.text).toContain(weightLoss.name);
    expect(world.mails[0]!.text).toContain('https://pharmacy.example/pharmacy/stock');
  });

  it('given a LowStockReached from another flow’s stream, when it is handled, then nothing is sent', async () => {
    const world = consultationWorld();
    const event = recordedEvent('inventory-ndc-1', 'LowStockReached', {
      productId: 'x',
      onHand: 1,
      threshold: 2,
    });

    await world.deliver(teamAlertsProcess(world.deps), event);

    expect(world.mails).toEqual([]);
  });
});
