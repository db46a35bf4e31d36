import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientStatusToken } from '../../src/commands/prescription/tokens.js';
import { STATUS_TOKEN_HEADER } from '../../src/http/routes/patient.js';
import { apiClient, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(() => harness?.close());

/**
 * GET routes that declare nothing yet: the audit routes (which still record their reads by hand:
 * their subject and resource come from the parsed query) and routes that show no patient data
 * (staff accounts, reference data, settings), which will say so with `phiRead: false`.
 */
const NOT_YET_DECLARED = [
  '/api/auth/me',
  '/api/admin/staff',
  '/api/admin/staff/{id}/sessions',
  '/api/staff/directory',
  '/api/admin/intake-keys',
  '/api/console/settings',
  '/api/operations/parked',
  '/api/operations/incidents',
  '/api/operations/unmatched-payments',
  '/api/catalogue',
  '/api/catalogue/{productId}',
  '/api/reference/drugs',
  '/api/reference/drugs/review',
  '/api/reference/drugs/{ndc}',
  '/api/reference/pharmacies',
  '/api/reference/pharmacies/{id}',
  '/api/reference/uk-products',
  '/api/audit/export',
  '/api/audit/compliance-report',
  '/api/audit/verify',
  '/api/audit/entries',
];

type Operation = { 'x-phi-read'?: unknown };

const getRoutes = async () => {
  const doc = (await (await fetch(`${harness.url}/docs/json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(doc.paths)
    .filter(([path, methods]) => path.startsWith('/api/') && methods.get)
    .map(([path, methods]) => ({ path, phiRead: methods.get!['x-phi-read'] }));
};

const reads = async (subjectId: string) =>
  (await harness.composition.platform.store.readStream(`access-${subjectId}`)).map((e) => ({
    actor: e.metadata.actor,
    resource: (e.data as { resource: string }).resource,
  }));

describe('reads of patient data, recorded from route configuration', () => {
  it('every GET route under /api says whether it shows patient data (none added without saying)', async () => {
    const undeclared = (await getRoutes()).filter((r) => r.phiRead === 'undeclared').map((r) => r.path);
    expect(undeclared.filter((path) => !NOT_YET_DECLARED.includes(path))).toEqual([]);
  });

  it('records a staff member’s read of one order, once it is found, and of the orders list', async () => {
    const steps = prescriptionSteps(harness);
    const orderId = await steps.intake(await newRxWith(`phi-${Date.now()}`));
    await harness.composition.platform.drain(); // the order in its read model: a GET finds it
    const api = apiClient(harness.url);
    const me = await api.signIn('pharmacist@pharmacy.example.org', harness.passwords.pharmacist!);
    expect((await api.get(`/api/orders/${orderId}`)).status).toBe(200);
    expect((await api.get(`/api/orders/${orderId}/events`)).status).toBe(200);
    expect(await reads(orderId)).toEqual([
      { actor: `staff:${me.user.id}`, resource: 'order' },
      { actor: `staff:${me.user.id}`, resource: 'order-events' },
    ]);
    const missing = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    expect((await api.get(`/api/orders/${missing}`)).status).toBe(404);
    expect(await reads(missing)).toEqual([]);
    // The patient's own view is recorded as the patient's read.
    const token = patientStatusToken(harness.composition.linkSecret, orderId, new Date());
    const patient = await fetch(`${harness.url}/api/patient/orders/${orderId}`, {
      headers: { [STATUS_TOKEN_HEADER]: token },
    });
    expect(patient.status).toBe(200);
    expect((await reads(orderId)).at(-1)).toEqual({ actor: `patient:${orderId}`, resource: 'order-status' });
    expect((await api.get('/api/orders?status=received')).status).toBe(200);
    expect(await reads(`staff${me.user.id}`)).toContainEqual({
      actor: `staff:${me.user.id}`,
      resource: expect.stringMatching(/^orders\?.*status=received/),
    });
  });
});
