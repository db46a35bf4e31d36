import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

// A platform of its own: moving time fires every timer of every case already in flight.
let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const control = async (path: string, body: unknown) => {
  const response = await fetch(`${harness.url}/sandbox/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { now: string; from: string; advancedMs: number },
  };
};

describe('the sandbox clock', () => {
  it('moves platform time forward: an enrollment link expires', async () => {
    const orderId = await steps.intake(await newRxWith('sandbox-control-clock'));
    await waitForStatus(steps.api, orderId, 'validated');
    const token = await steps.startEnrollment(orderId);
    const patient = { 'x-enrollment-token': token };
    expect((await steps.api.get('/api/patient/enrollment', patient)).status).toBe(200);

    const before = harness.composition.platform.clock.now().getTime();
    const moved = await control('/clock/advance', { hours: 73 });
    expect(moved.status).toBe(200);
    expect(moved.body.advancedMs).toBe(73 * 3_600_000);
    expect(Date.parse(moved.body.now) - Date.parse(moved.body.from)).toBeGreaterThanOrEqual(73 * 3_600_000);
    expect(harness.composition.platform.clock.now().getTime() - before).toBeGreaterThanOrEqual(
      73 * 3_600_000,
    );
    const after = await steps.api.get('/api/patient/enrollment', patient);
    expect(after.status).toBe(410);
  });
});
