import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

/** A sender whose message is refused learns exactly what to fix from the problem's detail. */
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(() => harness?.close());

const send = async (body: string | Uint8Array | undefined, headers: Record<string, string>) => {
  const response = await fetch(`${harness.url}/api/intake`, {
    method: 'POST',
    headers: { 'x-api-key': harness.composition.intakeApiKey, ...headers },
    body,
  });
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return { status: response.status, body: (await response.json()) as { title: string; detail: string } };
};
const eventCount = async () =>
  Number((await harness.db.pool.query('SELECT count(*) FROM events')).rows[0].count);

describe('intake names the problem', () => {
  it('an empty body', async () => {
    const before = await eventCount();
    for (const body of [undefined, '', '  \n ']) {
      const refused = await send(body, { 'content-type': 'application/xml' });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.title).toBe('Empty body');
      expect(refused.body.detail).toMatch(/body is empty.*NewRx.*application\/xml/i);
    }
    expect(await eventCount()).toBe(before);
  });

  it('malformed XML, with the line and column where it breaks', async () => {
    const xml = (await newRxWith('MALFORMED-1')).replace('</MessageID>', '</MesageID>');
    const line = xml.slice(0, xml.indexOf('</MesageID>')).split('\n').length;
    const refused = await send(xml, { 'content-type': 'application/xml' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(new RegExp(`Not well-formed XML at line ${line}, column \\d+`));
  });

  it('a missing content type', async () => {
    // Bytes, not a string: fetch would label a string text/plain by itself.
    const refused = await send(new TextEncoder().encode(await newRxWith('NO-TYPE-1')), {});
    expect(refused.status).toBe(415);
    expect(refused.body.detail).toBe(
      'The request has no Content-Type header: send the NewRx message as application/xml.',
    );
  });

  it('a wrong content type, named as received', async () => {
    const refused = await send(await newRxWith('PLAIN-1'), { 'content-type': 'text/plain; charset=utf-8' });
    expect(refused.status).toBe(415);
    expect(refused.body.detail).toBe(
      'The request was sent as text/plain: send the NewRx message as application/xml.',
    );
  });
});
