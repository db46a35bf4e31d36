import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KillablePlatform, killablePlatform } from '../support/childPlatform.js';

// `cli start` is what production runs: the platform in a process of its own, configured by the
// environment (the stand-ins play the vendors here). The sandbox controls must not exist there.
let platform: KillablePlatform;
beforeAll(async () => {
  platform = await killablePlatform();
  await platform.start();
}, 120_000);
afterAll(() => platform?.close());

describe('the sandbox control API under cli start', () => {
  it('is not mounted: its routes answer 404 and move nothing', async () => {
    const status = await fetch(`${platform.url}/sandbox/api`, { headers: { accept: 'application/json' } });
    expect(status.status).toBe(404);
    const advance = await fetch(`${platform.url}/sandbox/api/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ days: 30 }),
    });
    expect(advance.status).toBe(404);
    const outage = await fetch(`${platform.url}/sandbox/api/vendors/stripe/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ calls: 5 }),
    });
    expect(outage.status).toBe(404);
    // The same server answers its own API, so the 404s above are not a server that is down.
    expect((await fetch(`${platform.url}/api/health`)).status).toBe(200);
  });
});
