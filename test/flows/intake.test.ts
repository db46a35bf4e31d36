import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Harness, newRxWith, sampleNewRx, startHarness } from '../support/platformHarness.js';
import { waitForStatus } from '../support/prescriptionSteps.js';

let harness: Harness;
let api: ReturnType<typeof apiClient>;
let headers: Record<string, string>;
beforeAll(async () => {
  harness = await startHarness();
  api = apiClient(harness.url);
  headers = { 'x-api-key': harness.composition.intakeApiKey, 'content-type': 'application/xml' };
});
afterAll(() => harness?.close());

const eventCount = async () =>
  Number((await harness.db.pool.query('SELECT count(*) FROM events')).rows[0].count);

describe('intake refuses bad input with a clear problem and stores nothing', () => {
  const refusals: [
    string,
    () => Promise<{ body: string; headers?: Record<string, string> }>,
    number,
    RegExp,
  ][] = [
    [
      'an XXE attempt (DOCTYPE with an external entity)',
      async () => ({
        body: (await sampleNewRx()).replace(
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ),
      }),
      400,
      /DOCTYPE/,
    ],
    [
      'an entity-expansion bomb',
      async () => ({
        body: '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Message>&lol2;</Message>',
      }),
      400,
      /DOCTYPE/,
    ],
    ['a body that is not XML', async () => ({ body: 'this is not xml at all' }), 400, /well-formed/],
    [
      'an XML document that is not a NewRx',
      async () => ({
        body: '<Message xmlns="http://www.ncpdp.org/schema/SCRIPT"><Header><MessageID>X1</MessageID></Header><Body><RxRenewalRequest/></Body></Message>',
      }),
      422,
      /NewRx/,
    ],
    [
      'a body over 1 MiB',
      async () => ({ body: `<Message>${'x'.repeat(1024 * 1024 + 10)}</Message>` }),
      413,
      /too large/i,
    ],
    [
      'a body sent as JSON',
      async () => ({ body: '{"message":"hi"}', headers: { 'content-type': 'application/json' } }),
      415,
      /application\/xml/,
    ],
  ];

  for (const [what, make, status, detail] of refusals) {
    it(`refuses ${what} with ${status}`, async () => {
      const before = await eventCount();
      const request = await make();
      const response = await api.post('/api/intake', request.body, { ...headers, ...request.headers });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(`${response.body.title} ${response.body.detail}`).toMatch(detail);
      expect(await eventCount()).toBe(before);
    });
  }

  it('refuses a request without the intake API key, or with a wrong one', async () => {
    const xml = await newRxWith('KEYLESS-1');
    expect((await api.post('/api/intake', xml, { 'content-type': 'application/xml' })).status).toBe(401);
    expect((await api.post('/api/intake', xml, { ...headers, 'x-api-key': 'wrong-key' })).status).toBe(401);
  });

  it('returns the same order for the same MessageID, and refuses the ID reused with another body', async () => {
    const first = await api.post('/api/intake', await newRxWith('DUP-1'), headers);
    const second = await api.post('/api/intake', await newRxWith('DUP-1'), headers);
    expect(second.body).toMatchObject({ orderId: first.body.orderId, duplicate: true });
    const changed = await api.post('/api/intake', await newRxWith('DUP-1', { Okafor: 'Okafour' }), headers);
    expect(changed.status).toBe(409);
    const orders = await harness.db.pool.query(
      "SELECT count(*)::int AS n FROM events WHERE event_type = 'PrescriptionReceived' AND data->>'messageId' = 'DUP-1'",
    );
    expect(orders.rows[0].n).toBe(1);
  });

  it('accepts namespace prefixes and keeps the raw message with the order', async () => {
    const prefixed = (await newRxWith('PREFIXED-1'))
      .replace(
        '<Message xmlns="http://www.ncpdp.org/schema/SCRIPT"',
        '<scr:Message xmlns:scr="http://www.ncpdp.org/schema/SCRIPT"',
      )
      .replaceAll(/<(\/?)(?!\?)([A-Za-z])/g, '<$1scr:$2')
      .replace('<scr:scr:Message', '<scr:Message');
    const response = await api.post('/api/intake', prefixed, headers);
    expect(response.status).toBe(202);
    await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    await waitForStatus(api, response.body.orderId, 'validated');
    const raw = await api.get(`/api/orders/${response.body.orderId}/raw-message`);
    expect(raw.body).toBe(prefixed);
  });
});
