import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepsInRange } from '../../src/integrations/shipping/chooseRate.js';
import { apiClient, eventually, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let admin: ReturnType<typeof apiClient>;
let pharmacist: ReturnType<typeof apiClient>;

beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
  admin = apiClient(harness.url);
  await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');
  pharmacist = apiClient(harness.url);
  await pharmacist.signIn('pharmacist@pharmacy.example.org', harness.passwords.pharmacist!);
});
afterAll(() => harness?.close());

const SAMPLE_NDC = '<Code>00074055402</Code>';
let messages = 0;

/** An order for `ndc`, enrolled on the sample card (Columbus, OH; CommPlanA): the router's to place. */
const enrolledOrder = async (ndc: string, description?: string) => {
  const replacements: Record<string, string> = { [SAMPLE_NDC]: `<Code>${ndc}</Code>` };
  if (description) replacements['adalimumab 40 mg/0.4 mL subcutaneous pen injector'] = description;
  const orderId = await steps.intake(await newRxWith(`reference-data-${++messages}`, replacements));
  await waitForStatus(steps.api, orderId, 'validated');
  await steps.enroll(await steps.startEnrollment(orderId));
  return orderId;
};

const detail = async (orderId: string) => (await steps.api.get(`/api/orders/${orderId}`)).body;

const pharmacy = async (id: string) => (await admin.get(`/api/reference/pharmacies/${id}`)).body;

describe('each storage class goes to a pharmacy that can keep it and ships on a service that keeps it', () => {
  it.each([
    ['ambient', '61958250101', 'usps_priority'],
    ['refrigerated', '00074055402', 'fedex_standard_overnight'],
    ['frozen', '00006482700', 'ups_next_day_air'],
  ] as const)(
    'given a %s drug (%s), then every pharmacy offered stores it and the label is %s',
    async (storageClass, ndc, service) => {
      const orderId = await enrolledOrder(ndc);
      await waitForStatus(steps.api, orderId, 'awaiting_pharmacy_selection');
      const { recommendations } = await detail(orderId);
      expect(recommendations.length).toBeGreaterThan(0);
      for (const r of recommendations as { pharmacyId: string }[]) {
        const { capabilities } = await pharmacy(r.pharmacyId);
        if (storageClass === 'refrigerated') expect(capabilities.coldChain, r.pharmacyId).toBe(true);
        if (storageClass === 'frozen') expect(capabilities.frozen, r.pharmacyId).toBe(true);
      }
      await steps.selectBestPharmacy(orderId);
      await steps.pay(orderId);
      await waitForStatus(steps.api, orderId, 'shipped');
      const { shipment } = await detail(orderId);
      expect(shipment).toMatchObject({
        storageClass,
        coldChain: storageClass !== 'ambient',
        serviceLevel: service,
      });
      expect(keepsInRange(shipment.serviceLevel, storageClass)).toBe(true);
    },
  );
});

describe('a drug the catalogue cannot place waits for a pharmacist, then goes on by itself', () => {
  it('given an unknown NDC, when a pharmacist adds and classifies it, then the waiting order routes to cold-chain pharmacies', async () => {
    const unknown = '00078063941'; // Cosentyx: the payer knows it, the directory sample does not
    const orderId = await enrolledOrder(unknown, 'secukinumab 150 mg/mL Sensoready pen');
    await waitForStatus(steps.api, orderId, 'awaiting_drug_review');
    expect((await detail(orderId)).drugReview).toMatchObject({ ndc11: unknown, reason: 'not_in_catalogue' });

    const queue = (await pharmacist.get('/api/reference/drugs/review')).body.items;
    expect(queue).toContainEqual(
      expect.objectContaining({
        ndc11: unknown,
        entry: null,
        waitingOrders: 1,
        prescribedAs: ['secukinumab 150 mg/mL Sensoready pen'],
      }),
    );
    // Without a name the catalogue cannot take it; ops may not classify at all.
    const nameless = await pharmacist.post(`/api/reference/drugs/${unknown}/classification`, {
      storageClass: 'refrigerated',
      specialty: true,
      reason: 'label: store in a refrigerator',
    });
    expect(nameless).toMatchObject({ status: 404, body: { code: 'DRUG_NOT_FOUND' } });
    expect(
      (
        await steps.api.post(`/api/reference/drugs/${unknown}/classification`, {
          storageClass: 'ambient',
          reason: 'x y z',
        })
      ).status,
    ).toBe(403);

    const classified = await pharmacist.post(`/api/reference/drugs/0078-0639-41/classification`, {
      storageClass: 'refrigerated',
      specialty: true,
      reason: 'label: store in a refrigerator at 2–8 °C',
      listing: { proprietaryName: 'Cosentyx Sensoready', genericName: 'secukinumab', strength: '150 mg/mL' },
    });
    expect(classified.status).toBe(200);
    expect(classified.body.drug).toMatchObject({
      ndc11: unknown,
      storageClass: 'refrigerated',
      specialty: true,
    });

    await waitForStatus(steps.api, orderId, 'awaiting_pharmacy_selection');
    const routed = await detail(orderId);
    expect(routed.drugReview).toBeNull();
    for (const r of routed.recommendations as { pharmacyId: string }[])
      expect((await pharmacy(r.pharmacyId)).capabilities).toMatchObject({ coldChain: true, specialty: true });
    const history = (await steps.api.get(`/api/orders/${orderId}/events`)).body.events;
    const release = history.find((e: { type: string }) => e.type === 'DrugReviewCleared');
    expect(release.metadata.actor).toBe('system:drug-review');
    const classification = (
      await harness.db.pool.query(
        `SELECT metadata FROM events WHERE event_type = 'DrugClassified' AND stream_name = $1`,
        [`drug-${unknown}`],
      )
    ).rows[0];
    expect(classification.metadata.actor).toMatch(/^staff:/);
    expect(release.metadata.causationId).toBeDefined();
  });

  it('given an imported NDC nobody classified, then the order waits, and an ambient classification lets it route', async () => {
    const prednisone = '00591544201';
    const orderId = await enrolledOrder(prednisone);
    await waitForStatus(steps.api, orderId, 'awaiting_drug_review');
    expect((await detail(orderId)).drugReview).toMatchObject({ reason: 'no_storage_class' });
    const result = await pharmacist.post(`/api/reference/drugs/${prednisone}/classification`, {
      storageClass: 'ambient',
      reason: 'tablets: store at room temperature',
    });
    expect(result.status).toBe(200);
    await waitForStatus(steps.api, orderId, 'awaiting_pharmacy_selection');
  });

  it('given an order waiting on a drug, then ops can still cancel it', async () => {
    const orderId = await enrolledOrder('00000000019');
    await waitForStatus(steps.api, orderId, 'awaiting_drug_review');
    const cancelled = await steps.api.post(`/api/orders/${orderId}/cancel`, {
      reason: 'prescriber sent a wrong NDC',
    });
    expect(cancelled.body.status).toBe('cancelled');
  });
});

describe('the pharmacy network as routing sees it', () => {
  it('given a suspended pharmacy, then it is never recommended nor selectable, and once reinstated it is offered again', async () => {
    const first = await enrolledOrder('00074055402');
    await waitForStatus(steps.api, first, 'awaiting_pharmacy_selection');
    const best = (await detail(first)).recommendations[0].pharmacyId as string;

    const suspended = await admin.post(`/api/reference/pharmacies/${best}/suspension`, {
      reason: 'licence under review',
    });
    expect(suspended.body).toMatchObject({ status: 'suspended' });
    await eventually(
      async () => (await pharmacy(best)).status === 'suspended',
      'the suspension in the read model',
    );
    expect(await pharmacy(best)).toMatchObject({ suspension: { reason: 'licence under review' } });

    // An order already offered it cannot be sent there now.
    const refused = await steps.api.post(`/api/orders/${first}/pharmacy`, { pharmacyId: best });
    expect(refused).toMatchObject({ status: 409, body: { code: 'PHARMACY_SUSPENDED' } });

    const second = await enrolledOrder('00074055402');
    await waitForStatus(steps.api, second, 'awaiting_pharmacy_selection');
    const offered = (await detail(second)).recommendations.map((r: { pharmacyId: string }) => r.pharmacyId);
    expect(offered).not.toContain(best);

    await admin.post(`/api/reference/pharmacies/${best}/reinstatement`, { reason: 'licence confirmed' });
    const third = await enrolledOrder('00074055402');
    await waitForStatus(steps.api, third, 'awaiting_pharmacy_selection');
    expect((await detail(third)).recommendations[0].pharmacyId).toBe(best);
  });

  it('given orders selected for a pharmacy, then its capacity counts them, and a cancelled one no longer', async () => {
    const reasonFor = async (orderId: string, pharmacyId: string) =>
      ((await detail(orderId)).recommendations as { pharmacyId: string; reasons: string[] }[])
        .find((r) => r.pharmacyId === pharmacyId)
        ?.reasons.find((reason) => reason.includes('open order'));

    const a = await enrolledOrder('00074055402');
    await waitForStatus(steps.api, a, 'awaiting_pharmacy_selection');
    const target = (await detail(a)).recommendations[0].pharmacyId as string;
    const before = Number(/^(\d+) open order/.exec((await reasonFor(a, target)) ?? '')?.[1]);
    await steps.api.post(`/api/orders/${a}/pharmacy`, { pharmacyId: target });

    const b = await enrolledOrder('00074055402');
    await waitForStatus(steps.api, b, 'awaiting_pharmacy_selection');
    expect(await reasonFor(b, target)).toMatch(new RegExp(`^${before + 1} open orders? for \\d+ a day`));
    expect((await pharmacy(target)).status).toBe('active');
    const listed = (await admin.get(`/api/reference/pharmacies?q=${target}`)).body.items[0];
    expect(listed.openOrders).toBe(before + 1);

    await steps.api.post(`/api/orders/${a}/cancel`, { reason: 'patient changed their mind' });
    const c = await enrolledOrder('00074055402');
    await waitForStatus(steps.api, c, 'awaiting_pharmacy_selection');
    expect(await reasonFor(c, target)).toMatch(new RegExp(`^${before} open orders? for`));
  });
});

describe('managing reference data over the API', () => {
  it('given each role, then only the admin edits the catalogue and the network, and anonymous callers read nothing', async () => {
    const drug = { ndc: '12345-6789-01', listing: { proprietaryName: 'Testavir' }, storageClass: 'ambient' };
    expect((await apiClient(harness.url).get('/api/reference/drugs')).status).toBe(401);
    expect((await steps.api.post('/api/reference/drugs', drug)).status).toBe(403);
    expect(
      (await pharmacist.post('/api/reference/pharmacies/PH-OH-01/suspension', { reason: 'abc' })).status,
    ).toBe(403);
    expect((await steps.api.get('/api/reference/uk-products')).status).toBe(403);
    const added = await admin.post('/api/reference/drugs', drug);
    expect(added.status).toBe(201);
    expect(added.body.drug).toMatchObject({ ndc11: '12345678901', storageClass: 'ambient' });
    expect((await admin.post('/api/reference/drugs', drug)).status).toBe(409);
    await eventually(
      async () => (await steps.api.get('/api/reference/drugs?q=testavir')).body.items.length === 1,
      'the new drug in the catalogue',
    );
  });

  it('given hostile or broken input, then each is a 4xx problem and nothing is written', async () => {
    const count = async () =>
      Number((await harness.db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const before = await count();
    const cases = [
      admin.post('/api/reference/drugs', { ndc: '1234567890', listing: { proprietaryName: 'X' } }),
      admin.post('/api/reference/drugs', {
        ndc: '12345-6789-02',
        listing: { proprietaryName: 'Bad\u0000name' },
      }),
      admin.post('/api/reference/drugs', {
        ndc: '12345-6789-03',
        listing: { proprietaryName: 'x'.repeat(5_000) },
      }),
      admin.post('/api/reference/drugs', { ndc: '12345-6789-04', listing: {} }),
      admin.post('/api/reference/pharmacies', {
        name: 'Nowhere Pharmacy',
        npi: '1234567890',
        address: { line1: '1 Main St', city: 'Columbus', state: 'OH', postalCode: '43215' },
        licensedStates: ['OH'],
        acceptedPlans: [],
        capabilities: { specialty: false, coldChain: false },
        capacityPerDay: 10,
        turnaroundHours: 24,
      }),
      admin.call('POST', '/api/reference/pharmacies/import', 'id,name\nA,B', { 'content-type': 'text/csv' }),
      admin.call('POST', '/api/reference/pharmacies/import', 'id\u0000', { 'content-type': 'text/csv' }),
      admin.call('POST', '/api/reference/pharmacies/import', '<csv/>', { 'content-type': 'application/xml' }),
      admin.call('PUT', '/api/reference/uk-products/trimora-weekly-pen', { pricePence: -5, reason: 'typo' }),
      admin.call('PUT', '/api/reference/uk-products/no-such-product', { pricePence: 100, reason: 'typo' }),
    ];
    const answers = await Promise.all(cases);
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    expect(answers[4]!.body.detail).toMatch(/check digit/);
    expect(await count()).toBe(before);
  });

  it('given a CSV upload, then new pharmacies join the network and faulty rows come back with their line', async () => {
    const csv = [
      'id,name,npi,address_line1,city,state,postal_code,licensed_states,accepted_plans,specialty,cold_chain,frozen,capacity_per_day,turnaround_hours',
      'PH-TEST-01,"Harbor View Pharmacy, LLC",1558598797,12 Harbor Rd,Toledo,OH,43604,OH;MI,610014/CommPlanA,yes,yes,no,50,24',
      'PH-TEST-02,Broken Pharmacy,1558598790,1 Elm St,Toledo,OH,43604,OH,,no,no,no,50,24',
    ].join('\r\n');
    const imported = await admin.call('POST', '/api/reference/pharmacies/import', csv, {
      'content-type': 'text/csv',
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ added: 1, changed: 0, unchanged: 0 });
    expect(imported.body.rejected).toEqual([expect.objectContaining({ line: 3, id: 'PH-TEST-02' })]);
    await eventually(async () => (await pharmacy('PH-TEST-01')).name, 'the imported pharmacy');
    expect(await pharmacy('PH-TEST-01')).toMatchObject({ name: 'Harbor View Pharmacy, LLC', location: null });
  });
});
