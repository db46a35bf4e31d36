import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../web/src/app/routes.js';
import {
  changedFields,
  changedStateFields,
  replayConsultationStates,
  replayStates,
} from '../../web/src/audit/replay.js';
import { safeNext, signInMessage } from '../../web/src/auth/signInMessages.js';
import { isOverSla, parseSlaHours } from '../../web/src/console/sla.js';
import {
  computedBmi,
  electronicCheckText,
  mayAskToCancel,
  renewalDue,
} from '../../web/src/consultation/format.js';
import {
  compareCheckpoints,
  isNew,
  laterOf,
  parseLiveMessage,
  readModelBehind,
  reconnectDelayMs,
} from '../../web/src/live/protocol.js';
import { buildContactCorrection, readUsAddress } from '../../web/src/orders/address.js';
import {
  availableActions,
  buildCorrections,
  deliveryStatusChoices,
  refundableMinor,
} from '../../web/src/orders/availableActions.js';
import { parseDollars } from '../../web/src/orders/dollars.js';
import { ledgerEntries } from '../../web/src/orders/ledger.js';
import { enrollmentLinkProblem } from '../../web/src/patient/linkProblems.js';
import { patientMoneyLines } from '../../web/src/patient/patientMoney.js';
import {
  eventLabel,
  formatAmount,
  formatDuration,
  formatMoney,
  statusLabel,
} from '../../web/src/ui/format.js';

// The pages' rules that need no browser: routing, the live feed's bookkeeping, SLA, forms.

describe('routes', () => {
  it('tells the patient status page from the staff detail by the token', () => {
    expect(matchRoute('/orders/01ABC', '?token=t0k&paid=1')).toEqual({
      page: 'patient-order',
      orderId: '01ABC',
      token: 't0k',
      justPaid: true,
    });
    // E-mailed links carry the key in the fragment, which no server receives.
    expect(matchRoute('/orders/01ABC', '?paid=1', '#token=t0k')).toEqual({
      page: 'patient-order',
      orderId: '01ABC',
      token: 't0k',
      justPaid: true,
    });
    expect(matchRoute('/orders/01ABC', '')).toEqual({ page: 'order', orderId: '01ABC' });
    expect(matchRoute('/enroll/abc_-1', '')).toEqual({ page: 'enroll', token: 'abc_-1' });
    expect(matchRoute('/audit', '?order=01ABC')).toEqual({
      page: 'audit',
      orderId: '01ABC',
      consultationId: null,
    });
    expect(matchRoute('/audit', '?consultation=01XYZ')).toEqual({
      page: 'audit',
      orderId: null,
      consultationId: '01XYZ',
    });
    expect(matchRoute('/', '?status=paid')).toEqual({ page: 'console' });
    expect(matchRoute('/login/', '')).toEqual({ page: 'login' });
    expect(matchRoute('/orders/1/x', '')).toEqual({ page: 'not-found' });
  });

  it('returns after sign-in only to one of our own paths', () => {
    expect(safeNext('/orders/1?x=2')).toBe('/orders/1?x=2');
    expect(safeNext('//evil.example/')).toBeNull();
    expect(safeNext('https://evil.example/')).toBeNull();
    expect(safeNext('/login')).toBeNull();
  });
});

describe('live feed bookkeeping', () => {
  const at = (transactionId: string, globalPosition: number) => ({ transactionId, globalPosition });

  it('orders checkpoints by transaction id as an integer, then position', () => {
    // Transaction ids are xid8 and may pass 2^53: compared as strings or floats these would tie or invert.
    expect(compareCheckpoints(at('9007199254740993', 1), at('9007199254740992', 5))).toBeGreaterThan(0);
    expect(compareCheckpoints(at('10', 1), at('9', 2))).toBeGreaterThan(0);
    expect(compareCheckpoints(at('10', 3), at('10', 4))).toBeLessThan(0);
  });

  it('drops a change at or before the last checkpoint: after a resume nothing is shown twice', () => {
    expect(isNew(at('10', 4), null)).toBe(true);
    expect(isNew(at('10', 4), at('10', 4))).toBe(false);
    expect(isNew(at('9', 7), at('10', 4))).toBe(false);
    expect(isNew(at('11', 2), at('10', 4))).toBe(true);
    expect(laterOf(at('10', 4), at('9', 9))).toEqual(at('10', 4));
    expect(laterOf(null, at('9', 9))).toEqual(at('9', 9));
  });

  it('backs off from a quarter second to at most ten', () => {
    expect([0, 1, 2, 3, 10, 50].map(reconnectDelayMs)).toEqual([250, 500, 1000, 2000, 10_000, 10_000]);
  });

  it('reads the server’s frames and ignores what it does not understand', () => {
    expect(
      parseLiveMessage(
        '{"type":"order-changed","checkpoint":{"transactionId":"12","globalPosition":3},"orderId":"A","eventType":"PaymentReceived","status":"paid","occurredAt":"2026-11-21T10:00:00.000Z"}',
      ),
    ).toEqual({
      type: 'order-changed',
      checkpoint: at('12', 3),
      orderId: 'A',
      eventType: 'PaymentReceived',
      status: 'paid',
      occurredAt: '2026-11-21T10:00:00.000Z',
    });
    expect(
      parseLiveMessage(
        '{"type":"consultation-changed","checkpoint":{"transactionId":"13","globalPosition":4},"consultationId":"C","eventType":"ReviewQueued","occurredAt":"2026-11-21T10:00:00.000Z"}',
      ),
    ).toEqual({
      type: 'consultation-changed',
      checkpoint: at('13', 4),
      consultationId: 'C',
      eventType: 'ReviewQueued',
      occurredAt: '2026-11-21T10:00:00.000Z',
    });
    expect(
      parseLiveMessage(
        '{"type":"consultation-changed","checkpoint":{"transactionId":"13","globalPosition":4}}',
      ),
    ).toBeNull();
    expect(
      parseLiveMessage('{"type":"caught-up","checkpoint":{"transactionId":"12","globalPosition":3}}'),
    ).toEqual({
      type: 'caught-up',
      checkpoint: at('12', 3),
    });
    expect(parseLiveMessage('not json')).toBeNull();
    expect(parseLiveMessage('{"type":"order-changed","checkpoint":{"transactionId":"x"}}')).toBeNull();
    expect(parseLiveMessage('{"type":"hello"}')).toBeNull();
  });

  it('knows a read model that has not yet applied an announced change', () => {
    const view = { status: 'paid', updatedAt: '2026-11-21T10:00:00.000Z' };
    expect(readModelBehind(view, undefined)).toBe(false);
    expect(readModelBehind(view, { status: 'shipped', occurredAt: '2026-11-21T10:00:01.000Z' })).toBe(true);
    expect(readModelBehind(view, { status: 'shipped', occurredAt: '2026-11-21T10:00:00.000Z' })).toBe(true);
    expect(readModelBehind(view, { status: 'paid', occurredAt: '2026-11-21T10:00:00.000Z' })).toBe(false);
    expect(readModelBehind(view, { status: 'paid', occurredAt: '2026-11-21T09:59:00.000Z' })).toBe(false);
  });
});

describe('console rules', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');

  it('flags an order that sat in one status longer than the SLA, never a finished one', () => {
    expect(isOverSla({ status: 'awaiting_payment', statusSince: '2026-11-20T11:59:00Z' }, now, 24)).toBe(
      true,
    );
    expect(isOverSla({ status: 'awaiting_payment', statusSince: '2026-11-20T12:01:00Z' }, now, 24)).toBe(
      false,
    );
    expect(isOverSla({ status: 'awaiting_payment', statusSince: '2026-11-21T09:00:00Z' }, now, 2)).toBe(true);
    expect(isOverSla({ status: 'completed', statusSince: '2026-01-01T00:00:00Z' }, now, 24)).toBe(false);
    expect(isOverSla({ status: 'cancelled', statusSince: '2026-01-01T00:00:00Z' }, now, 24)).toBe(false);
  });

  it('reads the stored SLA setting, falling back to 24 h', () => {
    expect(parseSlaHours('8')).toBe(8);
    expect(parseSlaHours(null)).toBe(24);
    expect(parseSlaHours('')).toBe(24);
    expect(parseSlaHours('-3')).toBe(24);
    expect(parseSlaHours('soon')).toBe(24);
  });

  it('shows time in status at a useful precision', () => {
    expect(formatDuration(30_000)).toBe('under a minute');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(3 * 3_600_000 + 7 * 60_000)).toBe('3 h 7 min');
    expect(formatDuration(2 * 86_400_000 + 5 * 3_600_000)).toBe('2 d 5 h');
  });
});

describe('order page forms', () => {
  const none = { chargedMinor: 0, refundedMinor: 0, refundPendingMinor: 0 };
  const paid = { chargedMinor: 365_160, refundedMinor: 0, refundPendingMinor: 0 };
  const offered = (status: string, money = none, incidents: { state: string }[] = []) =>
    availableActions({ status, incidents, money });

  it('offers the actions the status allows', () => {
    expect(offered('validated')).toEqual(['start-enrollment', 'correct', 'correct-contact', 'cancel']);
    expect(offered('awaiting_enrollment')).toEqual(['resend-enrollment', 'correct-contact', 'cancel']);
    expect(offered('adjudication_rejected')).toEqual([
      'resubmit-claim',
      'record-prior-authorization',
      'correct-contact',
      'cancel',
    ]);
    expect(offered('awaiting_payment')).toEqual(['correct-contact', 'cancel']);
    // A paid order can still be cancelled before it ships (the payment is refunded), or refunded in part.
    expect(offered('paid', paid, [{ state: 'manual_handling' }])).toEqual([
      'retry-integration',
      'correct-contact',
      'refund',
      'cancel',
    ]);
    expect(offered('paid', paid, [{ state: 'pending_api_unavailable' }])).toEqual([
      'correct-contact',
      'refund',
      'cancel',
    ]);
    expect(offered('completed')).toEqual([]);
    expect(offered('cancelled')).toEqual([]);
  });

  it('holds a mismatched payment for ops: accept it, refund it, or cancel', () => {
    const mismatched = { chargedMinor: 1, refundedMinor: 0, refundPendingMinor: 0 };
    expect(offered('payment_mismatch', mismatched)).toEqual([
      'accept-payment',
      'refund-mismatched-payment',
      'correct-contact',
      'refund',
      'cancel',
    ]);
  });

  it('lets a parcel with the carrier be moved by hand, and a failed delivery be shipped again', () => {
    for (const status of ['shipped', 'in_transit', 'out_for_delivery'])
      expect(offered(status, paid)).toEqual(['record-delivery-status', 'correct-contact', 'refund']);
    expect(offered('delivery_exception', paid)).toEqual(['reship', 'correct-contact', 'refund', 'cancel']);
    // Only news is offered: a status the parcel already passed would change nothing.
    expect(deliveryStatusChoices('shipped')).toEqual([
      'in_transit',
      'out_for_delivery',
      'delivered',
      'failure',
      'returned',
    ]);
    expect(deliveryStatusChoices('in_transit')).toEqual([
      'out_for_delivery',
      'delivered',
      'failure',
      'returned',
    ]);
    expect(deliveryStatusChoices('out_for_delivery')).toEqual(['delivered', 'failure', 'returned']);
    expect(deliveryStatusChoices('delivered')).toEqual([]);
  });

  it('refunds only what was paid and is neither refunded nor on its way back', () => {
    expect(refundableMinor(paid)).toBe(365_160);
    expect(refundableMinor({ chargedMinor: 10_000, refundedMinor: 2_500, refundPendingMinor: 1_000 })).toBe(
      6_500,
    );
    // Everything went back: nothing to refund, even on a completed order.
    expect(
      offered('completed', { chargedMinor: 10_000, refundedMinor: 10_000, refundPendingMinor: 0 }),
    ).toEqual([]);
    // A refund that failed after a cancellation can be issued again from the cancelled order.
    expect(offered('cancelled', { chargedMinor: 10_000, refundedMinor: 0, refundPendingMinor: 0 })).toEqual([
      'refund',
    ]);
  });

  it('reads dollars typed by a person as whole cents, without floating-point error', () => {
    const cents = (text: string) => {
      const parsed = parseDollars(text);
      return parsed.ok ? parsed.cents : parsed.problem;
    };
    // 0.29 * 100 is 28.999999999999996 and 1.15 * 100 is 114.99999999999999 in floating point.
    expect(cents('0.29')).toBe(29);
    expect(cents('1.15')).toBe(115);
    expect(cents('4.35')).toBe(435);
    expect(cents('1,234.56')).toBe(123_456);
    expect(cents('$1,234.56')).toBe(123_456);
    expect(cents(' $ 12 ')).toBe(1_200);
    expect(cents('12.5')).toBe(1_250);
    expect(cents('12.')).toBe(1_200);
    expect(cents('.5')).toBe(50);
    expect(cents('3651.60')).toBe(365_160);
    expect(cents('999,999,999.99')).toBe(99_999_999_999);
    for (const refused of [
      '',
      ' ',
      '$',
      '.',
      'abc',
      '-1',
      '+1',
      '1e3',
      '12,34',
      '1,2345',
      '1.234',
      '0',
      '0.00',
    ])
      expect([refused, parseDollars(refused).ok]).toEqual([refused, false]);
    expect(cents('1.234')).toBe('Give at most two digits after the decimal point.');
    expect(cents('0.00')).toBe('Enter an amount more than $0.00.');
    expect(cents('')).toBe('Enter an amount in dollars, for example 12.50.');
    expect(cents('1000000000')).toBe('That amount is too large.');
  });

  it('takes a US address with a two-letter state and a ZIP code', () => {
    const draft = { line1: ' 12 Elm St ', line2: '', city: 'Austin', state: 'tx', postalCode: '78701-1234' };
    expect(readUsAddress(draft)).toEqual({
      ok: true,
      address: { line1: '12 Elm St', city: 'Austin', state: 'TX', postalCode: '78701-1234' },
    });
    expect(readUsAddress({ ...draft, line2: 'Apt 4' })).toMatchObject({
      ok: true,
      address: { line2: 'Apt 4' },
    });
    expect(
      readUsAddress({ line1: '', line2: '', city: 'Austin', state: 'Texas', postalCode: '7870' }),
    ).toEqual({
      ok: false,
      errors: {
        line1: 'Enter the street address.',
        state: 'Enter the two-letter state code, for example TX.',
        postalCode: 'Enter a 5-digit ZIP code, or ZIP+4.',
      },
    });
    expect(readUsAddress({ ...draft, state: 'XX' })).toMatchObject({
      ok: false,
      errors: { state: expect.any(String) },
    });
  });

  it('sends only the contact details someone gave, and refuses an empty correction', () => {
    const blank = { line1: '', line2: '', city: '', state: '', postalCode: '' };
    expect(buildContactCorrection({ address: blank, phone: ' 512-555-0100 ', email: '' })).toEqual({
      ok: true,
      correction: { phone: '512-555-0100' },
    });
    expect(
      buildContactCorrection({
        address: { line1: '1 Main St', line2: '', city: 'Austin', state: 'TX', postalCode: '78701' },
        phone: '',
        email: 'a.okafor@example.org',
      }),
    ).toEqual({
      ok: true,
      correction: {
        address: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701' },
        email: 'a.okafor@example.org',
      },
    });
    expect(buildContactCorrection({ address: blank, phone: '', email: '' })).toEqual({
      ok: false,
      errors: { form: 'Give the new address, phone or e-mail.' },
    });
    expect(
      buildContactCorrection({ address: { ...blank, city: 'Austin' }, phone: 'call me', email: '' }),
    ).toEqual({
      ok: false,
      errors: {
        line1: 'Enter the street address.',
        state: 'Enter the two-letter state code, for example TX.',
        postalCode: 'Enter a 5-digit ZIP code, or ZIP+4.',
        phone: 'Enter a phone number: digits, spaces, dashes or brackets.',
      },
    });
  });

  it('sends only the corrected fields: an empty box means unchanged', () => {
    expect(
      buildCorrections({
        patient: { lastName: '  Okafor ', firstName: '' },
        prescriber: { npi: '' },
        pharmacy: {},
        medication: { sig: 'Inject 40 mg every other week', quantity: ' ' },
      }),
    ).toEqual({ patient: { lastName: 'Okafor' }, medication: { sig: 'Inject 40 mg every other week' } });
  });

  it('explains each refused sign-in and each refused link', () => {
    expect(signInMessage({ status: 401, title: 'Sign-in failed' })).toBe(
      'The email or password is incorrect.',
    );
    expect(
      signInMessage(
        { status: 423, title: 'Account locked', lockedUntil: '2026-11-21T12:15:00Z' },
        new Date('2026-11-21T12:00:00Z'),
      ),
    ).toMatch(/^Sign-in is paused after too many failed attempts\. Try again after /);
    expect(signInMessage({ status: 403, title: 'Role required' })).toMatch(/does not have a role/);
    expect(enrollmentLinkProblem({ status: 410, title: 'x', code: 'LINK_EXPIRED' })?.heading).toBe(
      'This link has expired',
    );
    expect(enrollmentLinkProblem({ status: 410, title: 'x', code: 'LINK_USED' })?.heading).toBe(
      'This link has already been used',
    );
    expect(enrollmentLinkProblem({ status: 404, title: 'x', code: 'LINK_INVALID' })?.heading).toBe(
      'This link is not valid',
    );
    expect(enrollmentLinkProblem({ status: 401, title: 'x' })?.heading).toBe('This link is not valid');
    expect(enrollmentLinkProblem({ status: 500, title: 'x' })).toBeNull();
  });
});

describe('money on the pages', () => {
  const refund = (over: Record<string, unknown>) => ({
    refundId: 'R1',
    paymentIntentId: 'pi_1',
    amountMinor: 2_529,
    currency: 'usd',
    kind: 'partial' as const,
    reason: 'coupon applied late',
    status: 'settled' as const,
    requestedAt: '2026-12-04T10:05:00.000Z',
    requestedBy: 'staff:U1',
    settledAt: '2026-12-04T10:06:00.000Z',
    failureReason: null,
    ...over,
  });

  it('formats dollars as US English, and other currencies by their own minor unit', () => {
    expect(formatMoney(123_456)).toBe('$1,234.56');
    expect(formatMoney(-1)).toBe('-$0.01');
    expect(formatAmount(123_456, 'usd')).toBe('$1,234.56');
    expect(formatAmount(1_250, 'gbp')).toBe('£12.50');
    expect(formatAmount(1_250, 'jpy')).toBe('¥1,250');
    expect(formatAmount(null, 'usd')).toBe('—');
  });

  it('tells the ledger as one story, oldest first, each entry named by its cause', () => {
    const entries = ledgerEntries({
      payments: [
        {
          paymentIntentId: 'pi_1',
          amountMinor: 10_000,
          currency: 'usd',
          at: '2026-12-04T10:00:00.000Z',
          kind: 'order',
        },
        {
          paymentIntentId: 'pi_2',
          amountMinor: 10_000,
          currency: 'usd',
          at: '2026-12-04T10:10:00.000Z',
          kind: 'unexpected',
        },
      ],
      refunds: [
        refund({
          refundId: 'R2',
          paymentIntentId: 'pi_2',
          kind: 'duplicate_payment',
          requestedAt: '2026-12-04T10:10:00.000Z',
        }),
        refund({}),
      ],
      chargedMinor: 20_000,
      refundedMinor: 12_529,
      refundPendingMinor: 0,
      keptMinor: 7_471,
    });
    expect(entries.map((e) => e.label)).toEqual([
      'Payment',
      'Partial refund',
      'Payment the order did not ask for',
      'Refund of a second payment',
    ]);
  });

  it('tells the patient what was paid and each refund: done, on its way, or stuck', () => {
    const order = {
      orderId: 'O1',
      status: 'cancelled' as const,
      statusSince: '2026-12-04T10:05:00.000Z',
      medication: null,
      pharmacy: null,
      payment: { status: 'paid', url: null, amountMinor: 10_000 },
      money: {
        chargedMinor: 10_000,
        refundedMinor: 2_529,
        refundPendingMinor: 5_000,
        refunds: [
          { amountMinor: 2_529, status: 'settled' as const, requestedAt: 'r1', settledAt: 's1' },
          { amountMinor: 5_000, status: 'requested' as const, requestedAt: 'r2', settledAt: null },
          { amountMinor: 2_471, status: 'failed' as const, requestedAt: 'r3', settledAt: null },
        ],
      },
      shipment: null,
      tracking: [],
      completedAt: null,
    };
    expect(patientMoneyLines(order, (iso) => `<${iso}>`).map((l) => [l.tone, l.text])).toEqual([
      ['plain', 'You paid $100.00.'],
      ['done', '$25.29 refunded on <s1>.'],
      ['pending', 'Refund of $50.00 in progress. It usually reaches your card within 5–10 business days.'],
      ['failed', 'A refund of $24.71 could not be completed. The pharmacy will contact you.'],
    ]);
    expect(
      patientMoneyLines({ ...order, status: 'shipped', money: { ...order.money, refunds: [] } }, String).map(
        (l) => l.text,
      ),
    ).toEqual(['Paid $100.00. Thank you.']);
    // A view from before the ledger still says what was paid.
    expect(patientMoneyLines({ ...order, status: 'paid', money: null }, String).map((l) => l.text)).toEqual([
      'Paid $100.00. Thank you.',
    ]);
    expect(
      patientMoneyLines(
        {
          ...order,
          status: 'awaiting_payment',
          payment: { status: 'link_sent', url: 'x', amountMinor: 10_000 },
          money: { chargedMinor: 0, refundedMinor: 0, refundPendingMinor: 0, refunds: [] },
        },
        String,
      ),
    ).toEqual([]);
  });
});

describe('audit replay', () => {
  const meta = (minute: number, actor = 'system:test') => ({
    occurredAt: `2026-11-21T10:0${minute}:00.000Z`,
    actor,
  });
  const received = {
    type: 'PrescriptionReceived',
    data: {
      orderId: 'O1',
      messageId: 'M1',
      patientKey: null,
      prescription: {
        header: { messageId: 'M1' },
        patient: { identifiers: {} },
        prescriber: {},
        medication: {},
      },
      rawMessage: '[kept]',
      receivedAt: '2026-11-21T10:00:00.000Z',
    },
    metadata: meta(0),
  };

  it('folds the events up to each step, and names what each one changed', () => {
    const events = [
      received,
      {
        type: 'PrescriptionValidated',
        data: { normalisedNdc: '00074055402', validatedAt: 'x' },
        metadata: meta(1),
      },
      { type: 'IntegrationCallFailed', data: {}, metadata: meta(2) },
      {
        type: 'OrderCancelled',
        data: { reason: 'duplicate', fromStatus: 'validated' },
        metadata: meta(3, 'staff:U1'),
      },
    ];
    const states = replayStates(events);
    expect(states.map((s) => s?.status)).toEqual(['received', 'validated', 'validated', 'cancelled']);
    expect(states[3]?.cancellation).toEqual({ reason: 'duplicate', at: meta(3).occurredAt, by: 'staff:U1' });
    expect(changedFields(states[0]!, states[1]!)).toEqual(['status', 'statusSince', 'normalisedNdc']);
    // A vendor failure shows in the replay as the order's incident, not as a status change.
    expect(changedFields(states[1]!, states[2]!)).toEqual(['incidents']);
  });
});

describe('UK patient and pharmacy pages say what is true now', () => {
  it('shows a REFER from the electronic ID check as referred, not failed', () => {
    expect(electronicCheckText('pass')).toBe('Passed');
    expect(electronicCheckText('refer')).toBe('Referred');
    expect(electronicCheckText('fail')).toBe('Failed');
  });

  it('offers no “Ask to cancel” once a one-off order is delivered; a running plan may still be stopped', () => {
    expect(mayAskToCancel({ status: 'dispatched', plan: { kind: 'one_off' } })).toBe(true);
    expect(mayAskToCancel({ status: 'delivered', plan: { kind: 'one_off' } })).toBe(false);
    expect(mayAskToCancel({ status: 'delivered', plan: { kind: 'instalment', months: 3 } })).toBe(true);
    expect(mayAskToCancel({ status: 'draft', plan: null })).toBe(false);
  });

  it('offers renewal prominently only in a plan’s last 14 days, or once it has ended', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(renewalDue('2026-05-30T12:00:00Z', now)).toBe(false); // day 1 of a 3-month plan
    expect(renewalDue('2026-03-15T12:00:01Z', now)).toBe(false);
    expect(renewalDue('2026-03-15T12:00:00Z', now)).toBe(true);
    expect(renewalDue('2026-02-20T12:00:00Z', now)).toBe(true);
    expect(renewalDue(null, now)).toBe(true);
  });
});

describe('labels made from codes', () => {
  it('keep initialisms in capitals: GP letter, PMR synced, ID', () => {
    expect(eventLabel('GpLetterSent')).toBe('GP letter sent');
    expect(eventLabel('PmrSynced')).toBe('PMR synced');
    expect(eventLabel('IdDocumentRequested')).toBe('ID document requested');
    expect(eventLabel('SmsOptedOut')).toBe('SMS opted out');
    expect(statusLabel('awaiting_id_verification')).toBe('Awaiting ID verification');
    expect(statusLabel('awaiting_pharmacy_selection')).toBe('Awaiting pharmacy selection');
    expect(eventLabel('InsuranceCardUploaded')).toBe('Insurance card uploaded');
  });
});

describe('the prescriber’s view of the answers', () => {
  const questions = new Map([
    ['heightCm', { id: 'heightCm', text: 'Your height', kind: 'number', unit: 'cm' }],
    ['weightKg', { id: 'weightKg', text: 'Your weight', kind: 'number', unit: 'kg' }],
  ] as const);
  it('computes the BMI where height and weight were asked, to one decimal', () => {
    const answers = [
      { questionId: 'heightCm', question: 'Your height', answer: 175 },
      { questionId: 'weightKg', question: 'Your weight', answer: 98 },
    ];
    expect(computedBmi(answers, questions as never)).toBe('32.0');
  });
  it('computes nothing when either is missing', () => {
    expect(computedBmi([{ questionId: 'heightCm', answer: 175 }], questions as never)).toBeNull();
  });
});

describe('consultation replay', () => {
  it('folds the clinical record with the decider’s evolve; account facts leave it as it was', () => {
    const events = [
      {
        type: 'ConsultationStarted',
        stream: 'consultation-C1',
        data: {
          consultationId: 'C1',
          patientRef: 'pref_1',
          product: { productId: 'p', name: 'Follimax' },
          renewalOf: null,
          startedAt: '2026-11-01T10:00:00.000Z',
        },
      },
      { type: 'CheckoutLinkIssued', stream: 'consultationaccount-C1', data: { url: 'https://x' } },
      { type: 'ConsultationAbandoned', stream: 'consultation-C1', data: {} },
    ];
    const states = replayConsultationStates(events);
    expect(states.map((s) => s.status)).toEqual(['draft', 'draft', 'abandoned']);
    expect(states[1]).toBe(states[0]);
    expect(changedStateFields(null, states[0]!)).toEqual(
      expect.arrayContaining(['status', 'consultationId', 'patientRef', 'product', 'lastActivityAt']),
    );
    expect(changedStateFields(states[1]!, states[2]!)).toEqual(['status']);
  });
});
