import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientDetails } from '../support/consultationSteps.js';
import { apiClient, eventually, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(() => harness?.close());

const VICTIM = 'adaeze.okafor@example.org';

/** Every spelling of "and also send it to me" the attack run found working (finding 2). */
const INJECTED = [
  `${VICTIM}, attacker@evil.example`,
  `${VICTIM}; attacker@evil.example`,
  `Adaeze Okafor &lt;${VICTIM}&gt;, attacker@evil.example`,
  `${VICTIM}&#13;&#10;Bcc: attacker@evil.example`,
];

const mailToAttacker = () =>
  harness.standIns.mailbox.messages().filter((m) => m.to.some((to) => to.includes('evil.example')));

describe('magic links sent to injected addresses (finding 2)', () => {
  it('a NewRx e-mail that is not one address is a validation issue, and no link goes anywhere', async () => {
    const steps = prescriptionSteps(harness);
    await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    for (const [index, address] of INJECTED.entries()) {
      const orderId = await steps.intake(
        await newRxWith(`inject-${index}-${Date.now()}`, {
          [`<ElectronicMail>${VICTIM}</ElectronicMail>`]: `<ElectronicMail>${address}</ElectronicMail>`,
        }),
      );
      const order = await eventually(async () => {
        const detail = (await steps.api.get(`/api/orders/${orderId}`)).body;
        return typeof detail.status === 'string' && detail.status !== 'received' && detail;
      }, 'validation');
      expect(order.status, address).toBe('validation_issue');
      expect(
        order.validationIssues.map((i: { code: string; field: string }) => `${i.code} ${i.field}`),
      ).toContain('EMAIL_INVALID patient.email');
      const enrollment = await steps.api.post(`/api/orders/${orderId}/enrollment`, {});
      expect(enrollment.status, address).toBeGreaterThanOrEqual(400);
      expect(enrollment.status, address).toBeLessThan(500);
    }
    await harness.composition.platform.drain();
    expect(mailToAttacker()).toEqual([]);
  }, 60_000);

  it('an address list given by ops or by a patient is refused with a 400', async () => {
    const steps = prescriptionSteps(harness);
    await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const orderId = await steps.validatedOrder(`inject-ops-${Date.now()}`);
    const decoded = INJECTED.map((a) =>
      a.replace('&lt;', '<').replace('&gt;', '>').replace('&#13;&#10;', '\r\n'),
    );
    for (const email of decoded) {
      const resend = await steps.api.post(`/api/orders/${orderId}/enrollment`, { email });
      expect(resend.status, email).toBe(400);
      const start = await apiClient(harness.url).post('/api/consultations', {
        productId: 'follimax-finasteride-1mg',
        patient: { ...patientDetails(), email },
        consentToInformGp: true,
      });
      expect(start.status, email).toBe(400);
    }
    await harness.composition.platform.drain();
    expect(mailToAttacker()).toEqual([]);
  });
});
