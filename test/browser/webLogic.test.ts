import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../web/src/app/routes.js';
import { changedFields, replayStates } from '../../web/src/audit/replay.js';
import { safeNext, signInMessage } from '../../web/src/auth/signInMessages.js';
import { isOverSla, parseSlaHours } from '../../web/src/console/sla.js';
import {
  compareCheckpoints,
  isNew,
  laterOf,
  parseLiveMessage,
  readModelBehind,
  reconnectDelayMs,
} from '../../web/src/live/protocol.js';
import { availableActions, buildCorrections } from '../../web/src/orders/availableActions.js';
import { enrollmentLinkProblem } from '../../web/src/patient/linkProblems.js';
import { formatDuration } from '../../web/src/ui/format.js';

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
    expect(matchRoute('/audit', '?order=01ABC')).toEqual({ page: 'audit', orderId: '01ABC' });
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
  it('offers the actions the status allows', () => {
    expect(availableActions({ status: 'validated', incident: null })).toEqual([
      'start-enrollment',
      'correct',
      'cancel',
    ]);
    expect(availableActions({ status: 'awaiting_enrollment', incident: null })).toEqual([
      'resend-enrollment',
      'cancel',
    ]);
    expect(availableActions({ status: 'adjudication_rejected', incident: null })).toEqual([
      'resubmit-claim',
      'cancel',
    ]);
    expect(availableActions({ status: 'delivery_exception', incident: null })).toEqual(['reship', 'cancel']);
    expect(availableActions({ status: 'paid', incident: { state: 'manual_handling' } })).toEqual([
      'retry-integration',
    ]);
    expect(availableActions({ status: 'paid', incident: { state: 'pending_api_unavailable' } })).toEqual([]);
    expect(availableActions({ status: 'completed', incident: null })).toEqual([]);
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
    ).toMatch(/^This account is locked after too many failed sign-ins\. Try again after /);
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
    expect(changedFields(states[1]!, states[2]!)).toEqual(['incident']);
  });
});
