import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

// Noticed in earlier sessions: a GET right after a NewRx's 202 answered 404 while the orders read
// model had not yet written the order. Here the projection is really held back: another session
// locks the orders table against writes while the NewRx arrives and the order is asked for.

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

describe('an order asked for before the orders read model has written it', () => {
  it('is answered once the read model catches up, not as "not found"', async () => {
    const api = apiClient(harness.url);
    await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    await harness.composition.platform.drain(20_000);
    const blocker = await harness.db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE orders IN EXCLUSIVE MODE'); // reads go on, writes wait
      const intake = await api.post('/api/intake', await newRxWith(`JUST-RECEIVED-${Date.now()}`), {
        'x-api-key': harness.composition.intakeApiKey,
        'content-type': 'application/xml',
      });
      expect(intake.status).toBe(202);
      const orderId: string = intake.body.orderId;
      const { rows } = await harness.db.pool.query('SELECT 1 FROM orders WHERE order_id = $1', [orderId]);
      expect(rows).toHaveLength(0); // the read model does not show it yet
      const asked = api.get(`/api/orders/${orderId}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await blocker.query('COMMIT'); // the projection writes the order now
      const answer = await asked;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ orderId });
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      blocker.release();
    }
    // An order that does not exist is still not found, at once.
    expect((await api.get('/api/orders/01J00000000000000000000000')).status).toBe(404);
  });
});
