import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { insurance, prescriptionSteps, statusOf, waitForStatus } from '../support/prescriptionSteps.js';

let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const SAMPLE_NDC = '<Code>00074055402</Code>';

/** An order for `ndc` (11 digits), enrolled on the sample card: it is then the router's to place. */
const enrolledOrder = async (ndc: string, messageId: string) => {
  const orderId = await steps.intake(await newRxWith(messageId, { [SAMPLE_NDC]: `<Code>${ndc}</Code>` }));
  await waitForStatus(steps.api, orderId, 'validated');
  await steps.enroll(await steps.startEnrollment(orderId));
  return orderId;
};

const pharmaciesById = async (ids: string[]) =>
  new Map(
    (
      await harness.db.pool.query<{ pharmacy_id: string; data: { capabilities: Record<string, unknown> } }>(
        'SELECT pharmacy_id, data FROM pharmacies WHERE pharmacy_id = ANY ($1)',
        [ids],
      )
    ).rows.map((row) => [row.pharmacy_id, row.data]),
  );

describe('a drug reaches the patient only as its storage class allows', () => {
  it('given the demo’s Stelara 57894006003, then only cold-chain specialty pharmacies are offered and it ships overnight', async () => {
    const orderId = await enrolledOrder('57894006003', 'drug-safety-stelara');
    await waitForStatus(steps.api, orderId, 'awaiting_pharmacy_selection');
    const { recommendations } = (await steps.api.get(`/api/orders/${orderId}`)).body;
    expect(recommendations.length).toBeGreaterThan(0);
    const offered = await pharmaciesById(recommendations.map((r: { pharmacyId: string }) => r.pharmacyId));
    for (const pharmacy of offered.values())
      expect(pharmacy.capabilities).toMatchObject({ specialty: true, coldChain: true });

    await steps.api.post(`/api/orders/${orderId}/pharmacy`, { pharmacyId: recommendations[0].pharmacyId });
    // Stelara needs a prior authorization on the sample plan: the prescriber gets one, ops resubmits.
    await waitForStatus(steps.api, orderId, 'adjudication_rejected');
    const granted = harness.standIns.payer.grantPriorAuthorization({ ...insurance, ndc11: '57894006003' });
    await steps.api.post(`/api/orders/${orderId}/claim/resubmit`, {
      reason: 'prior authorization approved',
      priorAuthorizationNumber: granted,
    });
    await steps.pay(orderId);
    await waitForStatus(steps.api, orderId, 'shipped');
    const { shipment } = (await steps.api.get(`/api/orders/${orderId}`)).body;
    expect(shipment.coldChain).toBe(true);
    expect(shipment.serviceLevel).toMatch(/overnight|next_day_air/);
  });

  it('given an NDC the catalogue does not know, then the order stops for a pharmacist and is never routed', async () => {
    const orderId = await enrolledOrder('12345678901', 'drug-safety-unknown');
    await waitForStatus(steps.api, orderId, 'awaiting_drug_review');
    await harness.composition.platform.drain();
    expect(await statusOf(steps.api, orderId)).toBe('awaiting_drug_review');
    const history = (await steps.api.get(`/api/orders/${orderId}/events`)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(history).not.toContain('PharmaciesRecommended');
    expect(history).toContain('DrugReviewRequired');
  });
});
