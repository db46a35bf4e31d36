import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, manualClock } from '../../src/platform/clock.js';
import {
  apiClient,
  eventually,
  type Harness,
  newRxWith,
  startHarness,
  tinyPng,
} from '../support/platformHarness.js';
import { type Api, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

// The needs-attention queue: one list of what waits on a person, the longest-waiting first, each
// item with the action that moves it on.

const clock = manualClock(new Date());
let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let api: Api;
beforeAll(async () => {
  // The clock jumps a day ahead: staff sessions' timeouts are not what this file checks.
  harness = await startHarness({
    clock,
    env: { STAFF_IDLE_TIMEOUT_MINUTES: '10000', STAFF_SESSION_HOURS: '240' },
  });
  steps = prescriptionSteps(harness);
  api = steps.api;
  await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const settle = async () => {
  await harness.composition.platform.timers.tick();
  await harness.composition.platform.drain();
  await harness.composition.platform.drain();
};

type Item = {
  key: string;
  kind: string;
  subject: { kind: string; id: string };
  patientName: string | null;
  since: string;
  overSla: boolean;
  action: { kind: string; label: string; href: string; path?: string; body?: Record<string, string> | null };
};
const attention = async (query = '') =>
  (await api.get(`/api/operations/attention${query}`)).body as {
    slaHours: number;
    items: Item[];
  };

describe('needs attention', () => {
  it('lists an SLA breach and an open vendor incident oldest first, and the incident’s retry clears it', async () => {
    const waiting = await steps.validatedOrder('ATTN-SLA');
    clock.advance(HOUR);
    const stuck = await steps.validatedOrder('ATTN-INCIDENT');
    await steps.enroll(await steps.startEnrollment(stuck), 'MATTNINCIDENT');
    harness.standIns.stripe.failNextRequests(1_000);
    await steps.selectBestPharmacy(stuck);
    await settle();
    const incident = await eventually(
      async () => (await attention()).items.find((i) => i.kind === 'incident' && i.subject.id === stuck),
      'the incident in the queue',
    );
    expect(incident.action).toMatchObject({
      kind: 'retry',
      label: 'Retry stripe now',
      href: `/orders/${stuck}`,
      path: `/api/orders/${stuck}/integration/retry`,
    });
    expect(incident.patientName).toBe('Adaeze Okafor');
    // Within the 24 h SLA, the order that only waits is not listed yet.
    expect((await attention()).items.map((i) => i.subject.id)).not.toContain(waiting);

    clock.advance(24 * HOUR);
    const { items, slaHours } = await attention();
    expect(slaHours).toBe(24);
    const breach = items.find((i) => i.key === `order:${waiting}`)!;
    expect(breach).toMatchObject({
      kind: 'sla_breach',
      overSla: true,
      action: { kind: 'open', href: `/orders/${waiting}` },
    });
    // Oldest first: the order waiting since before the incident comes before it.
    expect(items.findIndex((i) => i.key === breach.key)).toBeLessThan(
      items.findIndex((i) => i.key === incident.key),
    );
    expect([...items].sort((a, b) => a.since.localeCompare(b.since)).map((i) => i.key)).toEqual(
      items.map((i) => i.key),
    );
    // A tighter desk SLA is honoured.
    clock.advance(-24 * HOUR);
    expect((await attention('?slaHours=0.5')).items.map((i) => i.key)).toContain(`order:${waiting}`);
    clock.advance(24 * HOUR);

    harness.standIns.stripe.failNextRequests(0);
    const retried = await api.post(incident.action.path!, incident.action.body);
    expect(retried.status).toBe(202);
    await settle();
    await waitForStatus(api, stuck, 'awaiting_payment');
    await eventually(
      async () => !(await attention()).items.some((i) => i.key === incident.key),
      'the incident to clear',
    );
  }, 60_000);

  it('records the read of the patient data it shows', async () => {
    const me = (await api.get('/api/auth/me')).body;
    const id = me.id ?? me.user?.id;
    await attention();
    const { rows } = await harness.db.pool.query(
      `SELECT data FROM events WHERE stream_name = $1 AND event_type = 'PatientDataAccessed'`,
      [`access-staff${id}`],
    );
    expect(rows.map((r) => r.data.resource)).toContain('operations/attention');
  });

  it('is for ops only, and refuses a malformed SLA', async () => {
    expect((await api.get('/api/operations/attention?slaHours=abc')).status).toBe(400);
    expect((await api.get('/api/operations/attention?slaHours=-1')).status).toBe(400);
    expect((await api.get('/api/operations/attention?other=1')).status).toBe(400);
    const anonymous = apiClient(harness.url);
    expect((await anonymous.get('/api/operations/attention')).status).toBe(401);
    const pharmacist = apiClient(harness.url);
    await pharmacist.signIn('pharmacist@pharmacy.example.org', harness.passwords.pharmacist!);
    expect((await pharmacist.get('/api/operations/attention')).status).toBe(403);
  });
});

describe('the flow', () => {
  it('counts orders per status, arrivals per hour and the time the orders now in a status have waited', async () => {
    const flow = (await api.get('/api/orders/flow')).body;
    // From the first test: one order validated 25 h ago, one awaiting payment.
    expect(flow.counts.validated).toBe(1);
    expect(flow.counts.awaiting_payment).toBe(1);
    expect(flow.throughput).toHaveLength(24);
    expect(Date.parse(flow.throughput[23].hourStart)).toBeLessThanOrEqual(clock.now().getTime());
    expect(clock.now().getTime() - Date.parse(flow.throughput[23].hourStart)).toBeLessThan(HOUR);
    // Both were received a day or more ago: before the 24 whole hours shown. One arriving now counts.
    const received = (f: { throughput: { received: number }[] }) =>
      f.throughput.reduce((sum, h) => sum + h.received, 0);
    expect(received(flow)).toBe(0);
    await steps.validatedOrder('FLOW-NOW');
    const after = (await api.get('/api/orders/flow')).body;
    expect(received(after)).toBe(1);
    expect(after.throughput[23].received).toBe(1);
    const validated = flow.timeInStatus.find((t: { status: string }) => t.status === 'validated');
    expect(validated).toEqual({ status: 'validated', orders: 1, p50Minutes: 25 * 60, p90Minutes: 25 * 60 });
    const pharmacist = apiClient(harness.url);
    await pharmacist.signIn('pharmacist@pharmacy.example.org', harness.passwords.pharmacist!);
    expect((await pharmacist.get('/api/orders/flow')).status).toBe(200);
    expect((await apiClient(harness.url).get('/api/orders/flow')).status).toBe(401);
  });
});

describe('order search', () => {
  it('finds an order by MRN, date of birth, NDC, name, drug and pharmacy, and counts the matches', async () => {
    const orderId = await steps.intake(
      await newRxWith('SEARCH-1', {
        'MRN-0042117': 'MRN-7770001',
        '<Date>1979-03-14</Date>': '<Date>1985-06-01</Date>',
        '<LastName>Okafor</LastName>': '<LastName>Quillfeather</LastName>',
      }),
    );
    await waitForStatus(api, orderId, 'validated');
    const search = async (q: string, extra = '') =>
      (await api.get(`/api/orders?q=${encodeURIComponent(q)}${extra}`)).body as {
        total: number;
        items: { orderId: string }[];
      };
    for (const q of [
      'mrn-7770001',
      'MRN-7770001',
      '1985-06-01',
      '6/1/1985',
      'quillfeather',
      orderId.toLowerCase(),
    ]) {
      const found = await search(q);
      expect({ q, total: found.total, ids: found.items.map((i) => i.orderId) }).toEqual({
        q,
        total: 1,
        ids: [orderId],
      });
    }
    // Part of an MRN is not a match: identifiers are matched whole.
    expect((await search('7770001')).total).toBe(0);
    const all = (await api.get('/api/orders')).body.total as number;
    expect((await search('00074-0554-02')).total).toBe(all);
    expect((await search('adalimumab')).total).toBe(all);
    const [paying] = (await api.get('/api/orders?status=awaiting_payment')).body.items;
    const byPharmacy = await search(paying.pharmacyName.split(' ')[0].toLowerCase());
    expect(byPharmacy.items.map((i) => i.orderId)).toContain(paying.orderId);
    // Longest waiting first: the order waiting since the first test comes before this new one.
    const waiting = (await api.get('/api/orders?sort=waiting&pageSize=200')).body.items.map(
      (i: { orderId: string }) => i.orderId,
    );
    expect(waiting.indexOf(orderId)).toBe(waiting.length - 1);
    expect((await api.get('/api/orders?sort=sideways')).status).toBe(400);
  });
});

describe('insurance-card images', () => {
  it('lets ops open the card the patient uploaded as an attachment of its own type, recording the read', async () => {
    const [order] = (await api.get('/api/orders?status=awaiting_payment')).body.items;
    // The image as bytes: a sign-in of its own, since the JSON client reads answers as text.
    const { token } = (await apiClient(harness.url).signIn(
      'ops@pharmacy.example.org',
      harness.passwords.ops!,
    )) as {
      token: string;
    };
    const front = await fetch(`${harness.url}/api/orders/${order.orderId}/cards/front`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(front.status).toBe(200);
    expect(front.headers.get('content-type')).toBe('image/png');
    expect(front.headers.get('content-disposition')).toMatch(
      /^attachment; filename="insurance-card-front-.+\.png"$/,
    );
    expect(front.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await front.arrayBuffer())).toEqual(tinyPng());
    const { rows } = await harness.db.pool.query(
      `SELECT data FROM events WHERE stream_name = $1 AND event_type = 'PatientDataAccessed'`,
      [`access-${order.orderId}`],
    );
    expect(rows.map((r) => r.data.resource)).toContain('insurance-card-front');

    expect((await api.get(`/api/orders/${order.orderId}/cards/middle`)).status).toBe(404);
    const [notEnrolled] = (await api.get('/api/orders?status=validated')).body.items;
    expect((await api.get(`/api/orders/${notEnrolled.orderId}/cards/front`)).status).toBe(404);
    const auditor = apiClient(harness.url);
    await auditor.signIn('auditor@pharmacy.example.org', harness.passwords.auditor!);
    expect((await auditor.get(`/api/orders/${order.orderId}/cards/front`)).status).toBe(403);
    expect((await apiClient(harness.url).get(`/api/orders/${order.orderId}/cards/front`)).status).toBe(401);
  });
});
