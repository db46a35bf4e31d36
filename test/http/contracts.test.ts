import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Harness, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

/**
 * Every route's zod contract is enforced at the edge: a request that does not fit it is a clear 400
 * before anything is written, and an answer that does not fit it is never sent.
 */
let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let orderId: string;
beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
  orderId = await steps.validatedOrder('CONTRACTS-1');
}, 120_000);
afterAll(() => harness?.close());

const eventCount = async () =>
  Number((await harness.db.pool.query('SELECT count(*) FROM events')).rows[0].count);

describe('request contracts', () => {
  it('a malformed body is a 400 naming each problem, and nothing is written', async () => {
    const before = await eventCount();
    const refused = await steps.api.post(`/api/orders/${orderId}/refund`, {
      reason: 'x',
      amountMinor: 'ten dollars',
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      title: 'Invalid request body',
      detail: 'The request body has 2 problem(s).',
    });
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'amountMinor',
      'reason',
    ]);
    // The problem says where and what, never the value sent.
    expect(JSON.stringify(refused.body)).not.toContain('ten dollars');
    expect(await eventCount()).toBe(before);
  });

  it('a malformed query is a 400 about the query', async () => {
    const refused = await steps.api.get('/api/orders?pageSize=5000');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ title: 'Invalid request query' });
    expect(refused.body.errors[0].path).toBe('pageSize');
  });

  it('a caller without the role is refused before the body is judged', async () => {
    const anonymous = apiClient(harness.url);
    const refused = await anonymous.post(`/api/orders/${orderId}/refund`, { amountMinor: 'ten dollars' });
    expect(refused.status).toBe(401);
  });

  it('an action without a body reads it as the empty object', async () => {
    const answered = await steps.api.call('POST', `/api/orders/${orderId}/enrollment`);
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ orderId, status: 'awaiting_enrollment' });
  });
});

describe('response contracts', () => {
  it('an answer that does not fit its contract is a 500 that reveals nothing of it', async () => {
    const before = await steps.api.get(`/api/orders/${orderId}`);
    expect(before.status).toBe(200);
    const lastName = before.body.prescription.patient.lastName as string;
    expect(lastName.length).toBeGreaterThan(1);
    // A read model row no longer in the shape the contract promises (a status no client knows),
    // once the projection has written the order's last event (else it could write the row again).
    await harness.composition.platform.drain(20_000);
    await harness.db.pool.query(
      `UPDATE orders SET detail = jsonb_set(detail, '{status}', '"lost_in_transit"') WHERE order_id = $1`,
      [orderId],
    );
    const refused = await steps.api.get(`/api/orders/${orderId}`);
    expect(refused.status).toBe(500);
    expect(refused.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side.',
    });
    const listed = await steps.api.get('/api/orders');
    expect(listed.status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  it('is generated from the same contracts, requests and answers alike', async () => {
    const doc = (await steps.api.get('/docs/json')).body;
    const refund = doc.paths['/api/orders/{id}/refund'].post;
    const body = refund.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['reason', 'amountMinor']));
    expect(body.properties.amountMinor).toMatchObject({ type: 'integer' });
    const list = doc.paths['/api/orders'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(list.properties.items.items.properties)).toContain('patientName');
    expect(Object.keys(doc.paths).some((path) => path.startsWith('/sandbox'))).toBe(false);
  });
});
