import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(() => harness?.close());

const intake = async (key: string) =>
  fetch(`${harness.url}/api/intake`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', 'x-api-key': key },
    body: await newRxWith(`key-${Date.now()}-${Math.random().toString(36).slice(2)}`),
  });

describe('intake keys (finding 6)', () => {
  it('keeps only a hash of each key; several named keys work side by side; a revoked one stops at once', async () => {
    const admin = apiClient(harness.url);
    await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');

    const issued = await admin.post('/api/admin/intake-keys', { name: 'ehr-acme' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const acmeKey = issued.body.key as string;
    expect(acmeKey.length).toBeGreaterThanOrEqual(40);

    const stored = JSON.stringify(
      (await harness.db.pool.query('SELECT * FROM intake_keys')).rows.concat(
        (await harness.db.pool.query('SELECT * FROM platform_secrets')).rows,
        (await harness.db.pool.query("SELECT data FROM events WHERE stream_name LIKE 'intakekey-%'")).rows,
      ),
    );
    for (const key of [acmeKey, harness.composition.intakeApiKey]) {
      expect(stored).not.toContain(key);
      expect(stored).toContain(createHash('sha256').update(key).digest('hex'));
    }

    expect((await intake(acmeKey)).status).toBe(202);
    expect((await intake(harness.composition.intakeApiKey)).status).toBe(202);
    const listed = await admin.get('/api/admin/intake-keys');
    expect(listed.body.keys.map((k: { name: string }) => k.name)).toEqual(
      expect.arrayContaining(['ehr-acme']),
    );
    expect(JSON.stringify(listed.body)).not.toContain(acmeKey);

    const revoked = await admin.post('/api/admin/intake-keys/ehr-acme/revoke', { reason: 'contract ended' });
    expect(revoked.status).toBe(200);
    expect((await intake(acmeKey)).status).toBe(401);
    expect((await intake(harness.composition.intakeApiKey)).status).toBe(202);

    // The order taken in under a key names the key it came with.
    await harness.composition.platform.drain();
    const { rows } = await harness.db.pool.query(
      "SELECT DISTINCT metadata->>'actor' AS actor FROM events WHERE event_type = 'PrescriptionReceived'",
    );
    expect(rows.map((r) => r.actor)).toContain('intake:ehr-acme');
  });

  it('refuses a key name taken before, and keys for anyone but an admin', async () => {
    const admin = apiClient(harness.url);
    await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');
    expect((await admin.post('/api/admin/intake-keys', { name: 'ehr-beta' })).status).toBe(201);
    expect((await admin.post('/api/admin/intake-keys', { name: 'ehr-beta' })).status).toBe(409);
    expect((await admin.post('/api/admin/intake-keys', { name: 'bad name!' })).status).toBe(400);
    const ops = apiClient(harness.url);
    await ops.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    expect((await ops.post('/api/admin/intake-keys', { name: 'ehr-gamma' })).status).toBe(403);
  });
});
