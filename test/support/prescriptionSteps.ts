import { expect } from 'vitest';
import { apiClient, eventually, type Harness, newRxWith, tinyPng } from './platformHarness.js';

export type Api = ReturnType<typeof apiClient>;

export const insurance = {
  memberId: 'EVG123456',
  bin: '610014',
  pcn: 'CommPlanA',
  group: 'EVG1001',
  cardholderName: 'Adaeze Okafor',
  relationship: '1',
} as const;

export const statusOf = async (api: Api, orderId: string) =>
  (await api.get(`/api/orders/${orderId}`)).body?.status;

export const waitForStatus = (api: Api, orderId: string, status: string, timeoutMs?: number) =>
  eventually(
    async () => (await statusOf(api, orderId)) === status,
    `order ${orderId} to reach ${status}`,
    timeoutMs,
  );

/** Steps of the prescription flow as ops and the patient take them, for tests that start mid-way. */
export const prescriptionSteps = (harness: Pick<Harness, 'url' | 'composition' | 'standIns'>) => {
  const api = apiClient(harness.url);
  const intakeHeaders = { 'x-api-key': harness.composition.intakeApiKey, 'content-type': 'application/xml' };

  const intake = async (xml: string) => {
    const response = await api.post('/api/intake', xml, intakeHeaders);
    expect(response.status).toBe(202);
    return response.body.orderId as string;
  };

  return {
    api,
    intakeHeaders,
    intake,
    async validatedOrder(messageId: string) {
      const orderId = await intake(await newRxWith(messageId));
      await waitForStatus(api, orderId, 'validated');
      return orderId;
    },
    /** Starts (or resends) enrollment and returns the token from the e-mail this request caused. */
    async startEnrollment(orderId: string) {
      const before = new Set(harness.standIns.mailbox.messages().map((m) => m.id));
      const response = await api.post(`/api/orders/${orderId}/enrollment`, {});
      expect(response.body.status).toBe('awaiting_enrollment');
      return eventually(async () => {
        for (const mail of harness.standIns.mailbox.messages()) {
          if (before.has(mail.id) || mail.subject !== 'Complete your prescription enrollment') continue;
          const token = /\/enroll\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
          if (!token) continue;
          const details = await api.get('/api/patient/enrollment', { 'x-enrollment-token': token });
          if (details.body?.orderId === orderId) return token;
        }
        return undefined;
      }, 'the enrollment e-mail');
    },
    /** Enrolls with the test insurance; a member id of its own keeps the payer's accumulators apart. */
    async enroll(token: string, memberId: string = insurance.memberId) {
      const patient = { 'x-enrollment-token': token };
      const details = await api.get('/api/patient/enrollment', patient);
      expect(details.status).toBe(200);
      for (const side of ['front', 'back']) {
        const upload = await api.put(`/api/patient/enrollment/cards/${side}`, tinyPng(), {
          ...patient,
          'content-type': 'image/png',
        });
        expect(upload.status).toBe(200);
      }
      const done = await api.post(
        '/api/patient/enrollment',
        {
          insurance: { ...insurance, memberId },
          consent: { accepted: true, version: details.body.consent.version, signedName: 'Adaeze Okafor' },
        },
        patient,
      );
      expect(done.body.status).toBe('awaiting_routing');
      return details.body.orderId as string;
    },
    async selectBestPharmacy(orderId: string) {
      await waitForStatus(api, orderId, 'awaiting_pharmacy_selection');
      const detail = (await api.get(`/api/orders/${orderId}`)).body;
      const response = await api.post(`/api/orders/${orderId}/pharmacy`, {
        pharmacyId: detail.recommendations[0].pharmacyId,
      });
      expect(response.body.status).toBe('pharmacy_selected');
    },
    async pay(orderId: string) {
      await waitForStatus(api, orderId, 'awaiting_payment');
      const detail = (await api.get(`/api/orders/${orderId}`)).body;
      await harness.standIns.stripe.payCheckoutSession(detail.payment.sessionId);
      return detail.payment.sessionId as string;
    },
  };
};
