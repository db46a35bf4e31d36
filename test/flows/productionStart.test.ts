import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE_NETWORK_CSV } from '../../sandbox/data/network.js';
import { startStandIns } from '../../sandbox/standIns.js';
import { startPlatform } from '../../src/app/start.js';
import { loadConfig } from '../../src/platform/config.js';
import { createTestDatabase } from '../support/database.js';
import { apiClient, eventually, type Harness, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

/** The platform as `npm run cli -- start` brings it up: no sample drugs, no sample pharmacies. */
let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let admin: ReturnType<typeof apiClient>;
beforeAll(async () => {
  harness = await startHarness({ seed: false });
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
  admin = apiClient(harness.url);
  await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');
});
afterAll(() => harness?.close());

const detail = async (orderId: string) => (await steps.api.get(`/api/orders/${orderId}`)).body;

describe('a production start with no pharmacy network', () => {
  it('seeds nothing: the catalogue and the network are empty until the operator loads them', async () => {
    const { rows } = await harness.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE category IN ('drug', 'pharmacy', 'ukproduct')`,
    );
    expect(rows[0].n).toBe(0);
    expect((await admin.get('/api/reference/pharmacies')).body.total).toBe(0);
  });

  it('refuses to route with a clear reason, parks nothing, and routes by itself once pharmacies are imported', async () => {
    const added = await admin.post('/api/reference/drugs', {
      ndc: '0074-0554-02',
      listing: { proprietaryName: 'Humira', genericName: 'adalimumab', strength: '40 mg/.4mL' },
      storageClass: 'refrigerated',
      specialty: true,
    });
    expect(added.status).toBe(201);
    const orderId = await steps.validatedOrder('production-empty-network');
    await steps.enroll(await steps.startEnrollment(orderId));

    const blocked = await eventually(async () => (await detail(orderId)).routingBlock, 'the routing block');
    expect(blocked).toMatchObject({ reason: 'empty_network' });
    expect(blocked.message).toMatch(/pharmacy network is empty.*import-pharmacies/);
    await harness.composition.platform.drain();
    expect((await detail(orderId)).status).toBe('awaiting_routing');
    expect((await admin.get('/api/operations/parked')).body.items).toEqual([]);

    // One pharmacy, but not one that can take this patient: the reason says what is missing.
    const texas = await admin.post('/api/reference/pharmacies', {
      id: 'PH-TX-ONLY',
      name: 'Lone Star Specialty Pharmacy',
      npi: '1558598797',
      address: { line1: '1 Main St', city: 'Dallas', state: 'TX', postalCode: '75201' },
      licensedStates: ['TX'],
      acceptedPlans: [{ bin: '610014', pcn: 'CommPlanA' }],
      capabilities: { specialty: true, coldChain: true },
      capacityPerDay: 50,
      turnaroundHours: 24,
    });
    expect(texas.status).toBe(201);
    const narrower = await eventually(
      async () =>
        (await detail(orderId)).routingBlock?.reason === 'no_eligible_pharmacy'
          ? (await detail(orderId)).routingBlock
          : undefined,
      'the block to name what is missing',
    );
    expect(narrower.message).toMatch(
      /None of the 1 active pharmacies can fill it: each must be licensed in OH/,
    );

    const csv = await readFile(SAMPLE_NETWORK_CSV, 'utf8');
    const imported = await admin.call('POST', '/api/reference/pharmacies/import', csv, {
      'content-type': 'text/csv',
    });
    expect(imported.body.rejected).toEqual([]);
    await waitForStatus(steps.api, orderId, 'awaiting_pharmacy_selection');
    const routed = await detail(orderId);
    expect(routed.routingBlock).toBeNull();
    expect(routed.recommendations.length).toBeGreaterThan(0);
  });
});

describe('npm run cli -- start', () => {
  it('says as it starts that the network is empty and how to fill it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-start-'));
    const standIns = await startStandIns({ dataDir });
    const db = await createTestDatabase();
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // startPlatform installs SIGINT/SIGTERM handlers for a real process; this test removes its own.
    const handlers = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    try {
      const composition = await startPlatform(
        loadConfig({
          ...standIns.env,
          DATABASE_URL: db.connectionString,
          PORT: '0',
          LOG_LEVEL: 'warn',
          ADMIN_PASSWORD: 'admin-password-for-cli-start',
        }),
      );
      await composition.close();
    } finally {
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        for (const listener of process.listeners(signal))
          if (!handlers[signal].includes(listener)) process.removeListener(signal, listener);
      log.mockRestore();
      error.mockRestore();
      await standIns.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(printed.join('\n')).toMatch(
      /pharmacies {5}NONE — orders will wait in awaiting_routing\. The pharmacy network is empty: .*import-pharmacies/,
    );
  });
});
