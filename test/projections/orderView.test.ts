import { describe, expect, it } from 'vitest';
import {
  applyToOrderView,
  type OrderView,
  upgradeOrderView,
} from '../../src/projections/orders/orderView.js';

const meta = { occurredAt: '2026-12-01T10:00:00.000Z', actor: 'staff:1' };

describe('order views stored by an earlier version', () => {
  it('read with the fields added since, so a refund or a contact correction applies to them', () => {
    const received = applyToOrderView(null, {
      type: 'PrescriptionReceived',
      data: {
        orderId: '01J',
        messageId: 'M1',
        patientKey: null,
        prescription: {
          header: { messageId: 'M1' },
          patient: { identifiers: {}, phone: '614-555-0100' },
          prescriber: {},
          medication: {},
        },
        rawMessage: '<Message/>',
        receivedAt: meta.occurredAt,
      },
      metadata: meta,
    })!;
    // What an earlier version stored: one incident, and none of money, contact or PA.
    const {
      money: _m,
      contact: _c,
      contactCorrections: _cc,
      priorAuthorization: _p,
      incidents: _i,
      ...rest
    } = received;
    const old = {
      ...rest,
      incident: {
        state: 'manual_handling',
        integration: 'payer',
        processManager: 'prescription-adjudication',
        triggerEventId: 'e1',
        attempts: 4,
        nextAttemptAt: null,
        lastError: 'down',
      },
      payment: { status: 'paid', url: null, sessionId: 'cs', amountMinor: 100, paidAt: meta.occurredAt },
    } as unknown as OrderView;

    const upgraded = upgradeOrderView(old);
    expect(upgraded.incidents).toHaveLength(1);
    expect(upgraded.contact.phone).toBe('614-555-0100');
    const refunded = applyToOrderView(upgraded, {
      type: 'RefundRequested',
      data: {
        refundId: 'R1',
        paymentIntentId: 'pi_1',
        amountMinor: 100,
        currency: 'usd',
        kind: 'partial',
        reason: 'late',
      },
      metadata: meta,
    })!;
    expect(refunded.money.refundPendingMinor).toBe(100);
    const corrected = applyToOrderView(refunded, {
      type: 'PatientContactCorrected',
      data: { email: 'new@example.org', reason: 'called' },
      metadata: meta,
    })!;
    expect(corrected.contact.email).toBe('new@example.org');
  });
});
