import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

// Seen in CI: ops started enrollment on an order whose NewRx had just been accepted and were told
// "Order not found" — the route asked the orders read model, which had not caught up yet.

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

describe('an ops action on an order the read model has not caught up with', () => {
  it('given a validated order missing from the orders read model, when ops start enrollment, then it starts', async () => {
    const api = apiClient(harness.url);
    const intake = await api.post('/api/intake', await newRxWith('NOT-YET-PROJECTED-1'), {
      'x-api-key': harness.composition.intakeApiKey,
      'content-type': 'application/xml',
    });
    expect(intake.status).toBe(202);
    const orderId: string = intake.body.orderId;
    await eventually(async () => {
      const { rows } = await harness.db.pool.query(
        "SELECT 1 FROM events WHERE stream_name = $1 AND event_type = 'PrescriptionValidated'",
        [`order-${orderId}`],
      );
      return rows.length > 0;
    }, 'validation');
    await harness.composition.platform.drain(20_000);
    // The read model as it is a moment after intake, before its projection has written the order.
    await harness.db.pool.query('DELETE FROM orders WHERE order_id = $1', [orderId]);

    await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const started = await api.post(`/api/orders/${orderId}/enrollment`, {});
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ orderId, status: 'awaiting_enrollment' });
    // An order that does not exist at all is still not found.
    const unknown = await api.post('/api/orders/01J00000000000000000000000/enrollment', {});
    expect(unknown.status).toBe(404);
  });
});
