import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, manualClock } from '../../src/platform/clock.js';
import { type Harness, startHarness } from '../support/platformHarness.js';
import { type Api, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

const clock = manualClock(new Date());
let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let api: Api;
beforeAll(async () => {
  // The clock jumps hours between calls; staff sessions (30 idle minutes, 12 h) are not what this
  // file checks, so ops' session outlives the jumps.
  harness = await startHarness({
    clock,
    env: { STAFF_IDLE_TIMEOUT_MINUTES: '1440', STAFF_SESSION_HOURS: '72' },
  });
  steps = prescriptionSteps(harness);
  api = steps.api;
  await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const attempts = async (orderId: string) =>
  (await api.get(`/api/orders/${orderId}/events`)).body.events.filter(
    (e: { type: string }) => e.type === 'IntegrationCallFailed',
  ) as { data: { attempt: number; integration: string; nextAttemptAt: string | null } }[];

const settle = async () => {
  await harness.composition.platform.timers.tick();
  await harness.composition.platform.drain();
  await harness.composition.platform.drain();
};

describe('a payer outage', () => {
  it('is retried after 5 min, 30 min and 2 h with every attempt recorded, then flagged; ops retries it', async () => {
    const orderId = await steps.validatedOrder('OUTAGE-1');
    await steps.enroll(await steps.startEnrollment(orderId));
    harness.standIns.payer.failNextRequests(4, 503);
    await steps.selectBestPharmacy(orderId);
    await settle();

    expect((await attempts(orderId)).map((a) => a.data)).toMatchObject([
      {
        attempt: 1,
        integration: 'payer',
        nextAttemptAt: new Date(clock.now().getTime() + 5 * MINUTE).toISOString(),
      },
    ]);
    const pending = (await api.get(`/api/orders/${orderId}`)).body;
    expect(pending).toMatchObject({ status: 'pharmacy_selected', pending: 'pending (API unavailable)' });
    expect((await api.get('/api/orders?status=pharmacy_selected')).body.items[0].pending).toBe(
      'pending (API unavailable)',
    );

    for (const [wait, attempt] of [
      [5 * MINUTE, 2],
      [30 * MINUTE, 3],
      [2 * HOUR, 4],
    ] as const) {
      clock.advance(wait - 1);
      await settle();
      expect(await attempts(orderId)).toHaveLength(attempt - 1);
      clock.advance(1);
      await settle();
      expect((await attempts(orderId)).at(-1)!.data.attempt).toBe(attempt);
    }
    const flagged = (await api.get(`/api/orders/${orderId}`)).body;
    expect(flagged.pending).toBe('manual handling required');
    expect(flagged.incidents[0]).toMatchObject({
      state: 'manual_handling',
      integration: 'payer',
      attempts: 4,
    });

    const retry = await api.post(`/api/orders/${orderId}/integration/retry`, {
      processManager: flagged.incidents[0].processManager,
      triggerEventId: flagged.incidents[0].triggerEventId,
    });
    expect(retry.status).toBe(202);
    await settle();
    await waitForStatus(api, orderId, 'awaiting_payment');
    expect((await api.get(`/api/orders/${orderId}`)).body.pending).toBeNull();
  });

  it('answers a patient upload with 503 and a retry hint while document storage is down, storing nothing', async () => {
    const orderId = await steps.validatedOrder('OUTAGE-2');
    const token = await steps.startEnrollment(orderId);
    const before = (await api.get(`/api/orders/${orderId}/events`)).body.events.length;
    await harness.standIns.s3.close();
    const upload = await api.put(
      '/api/patient/enrollment/cards/front',
      Buffer.from('89504e470d0a1a0a0000', 'hex'),
      {
        'x-enrollment-token': token,
        'content-type': 'image/png',
      },
    );
    expect(upload.status).toBe(503);
    expect(upload.headers.get('retry-after')).toBe('30');
    expect(upload.body.detail).toMatch(/s3 is not reachable/);
    expect((await api.get(`/api/orders/${orderId}/events`)).body.events).toHaveLength(before);
  });
});
