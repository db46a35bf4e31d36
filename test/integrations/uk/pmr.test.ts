import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTitanPmrStandIn, type TitanPmrStandIn } from '../../../sandbox/titanpmr/server.js';
import { VendorRejectedError, VendorUnavailableError } from '../../../src/integrations/errors.js';
import type { PmrPatient, PmrSync, PushPatientAndOrderInput } from '../../../src/integrations/pmr/port.js';
import { createTitanPmrSync } from '../../../src/integrations/pmr/titanPmrClient.js';

let titan: TitanPmrStandIn;
let pmr: PmrSync;

const patient = (patientRef = randomUUID()): PmrPatient => ({
  patientRef,
  firstName: 'Amelia',
  lastName: 'Hart',
  dateOfBirth: '1980-04-12',
  address: { line1: '7 Orchard Row', town: 'Bath', postcode: 'BA1 2LX' },
  nhsNumber: '943 476 5919',
  email: 'amelia@example.co.uk',
});

const pomOrder = (overrides: Partial<PushPatientAndOrderInput> = {}): PushPatientAndOrderInput => ({
  idempotencyKey: randomUUID(),
  patient: patient(),
  order: {
    reference: `UK-${randomUUID().slice(0, 8)}`,
    items: [
      { productName: 'Mounjaro KwikPen', quantity: 1, dosage: '2.5 mg', instructions: 'Inject once weekly' },
    ],
    prescriptionId: 'rx_4f1c9a',
  },
  ...overrides,
});

const ordersFor = (reference: string) =>
  titan.records().orders.filter((o) => o.externalReference === reference);

beforeAll(async () => {
  titan = await startTitanPmrStandIn();
  pmr = createTitanPmrSync({ baseUrl: titan.url, apiKey: titan.apiKey, timeoutMs: 2_000 });
});

afterAll(async () => {
  await titan?.close();
});

describe('pushing a confirmed order to the PMR', () => {
  it('files the patient and records a POM order against its prescription', async () => {
    const input = pomOrder();
    const ids = await pmr.pushPatientAndOrder(input);
    expect(ids).toEqual({
      pmrPatientId: expect.stringMatching(/^TP/),
      pmrOrderId: expect.stringMatching(/^TO/),
    });

    const { patients, orders } = titan.records();
    expect(patients.find((p) => p.patientId === ids.pmrPatientId)).toMatchObject({
      externalRef: input.patient.patientRef,
      forename: 'Amelia',
      surname: 'Hart',
      nhsNumber: '9434765919',
    });
    expect(orders.find((o) => o.orderId === ids.pmrOrderId)).toMatchObject({
      externalReference: input.order.reference,
      lines: [
        {
          description: 'Mounjaro KwikPen',
          quantity: 1,
          strength: '2.5 mg',
          directions: 'Inject once weekly',
        },
      ],
      authorisation: { type: 'prescription', prescriptionId: 'rx_4f1c9a' },
    });
  });

  it('records a P medicine against the pharmacist approval, with no prescription', async () => {
    const input = pomOrder();
    const ids = await pmr.pushPatientAndOrder({
      ...input,
      order: {
        reference: input.order.reference,
        items: [{ productName: 'Hayfever relief', quantity: 2 }],
        pharmacistApprovalRef: 'PA-0091',
      },
    });
    expect(titan.records().orders.find((o) => o.orderId === ids.pmrOrderId)?.authorisation).toEqual({
      type: 'pharmacist_approval',
      approvalReference: 'PA-0091',
    });
  });

  it('files a returning patient once, updating their details', async () => {
    const returning = patient();
    const first = await pmr.pushPatientAndOrder(pomOrder({ patient: returning }));
    const moved = { ...returning, address: { line1: '2 Quay Street', town: 'Bristol', postcode: 'BS1 4DJ' } };
    const second = await pmr.pushPatientAndOrder(pomOrder({ patient: moved }));
    expect(second.pmrPatientId).toBe(first.pmrPatientId);
    expect(second.pmrOrderId).not.toBe(first.pmrOrderId);
    const filed = titan.records().patients.filter((p) => p.externalRef === returning.patientRef);
    expect(filed).toHaveLength(1);
    expect(filed[0]?.address.town).toBe('Bristol');
  });
});

describe('idempotency', () => {
  it('answers a retried push with the same ids and records the order once', async () => {
    const input = pomOrder();
    const first = await pmr.pushPatientAndOrder(input);
    expect(await pmr.pushPatientAndOrder(input)).toEqual(first);
    expect(ordersFor(input.order.reference)).toHaveLength(1);
  });

  it('finds the order by its reference when the key differs, and refuses other content under it', async () => {
    const input = pomOrder();
    const first = await pmr.pushPatientAndOrder(input);
    expect(await pmr.pushPatientAndOrder({ ...input, idempotencyKey: randomUUID() })).toEqual(first);

    const changed = pmr.pushPatientAndOrder({
      ...input,
      idempotencyKey: randomUUID(),
      order: { ...input.order, items: [{ productName: 'Mounjaro KwikPen', quantity: 3 }] },
    });
    await expect(changed).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(changed).rejects.toMatchObject({ code: 'order_exists' });
    expect(ordersFor(input.order.reference)).toHaveLength(1);
  });
});

describe('refusals and outages', () => {
  it('rejects a patient the PMR cannot file', async () => {
    const input = pomOrder();
    await expect(
      pmr.pushPatientAndOrder({ ...input, patient: { ...input.patient, nhsNumber: '12345' } }),
    ).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'invalid_request',
      message: expect.stringContaining('nhsNumber'),
    });
  });

  it('reports 503 as VendorUnavailableError and pushes once when retried', async () => {
    const input = pomOrder();
    titan.failNextRequests(1);
    await expect(pmr.pushPatientAndOrder(input)).rejects.toBeInstanceOf(VendorUnavailableError);
    await pmr.pushPatientAndOrder(input);
    expect(ordersFor(input.order.reference)).toHaveLength(1);
  });

  it('reports a timeout and a closed port as VendorUnavailableError', async () => {
    const impatient = createTitanPmrSync({ baseUrl: titan.url, apiKey: titan.apiKey, timeoutMs: 100 });
    titan.delayNextRequests(1, 400);
    await expect(impatient.pushPatientAndOrder(pomOrder())).rejects.toMatchObject({
      name: 'VendorUnavailableError',
      message: expect.stringContaining('timed out'),
    });

    const gone = await startTitanPmrStandIn();
    await gone.close();
    const unreachable = createTitanPmrSync({ baseUrl: gone.url, apiKey: gone.apiKey });
    await expect(unreachable.pushPatientAndOrder(pomOrder())).rejects.toBeInstanceOf(VendorUnavailableError);
  });

  it('reports a wrong API key as VendorRejectedError', async () => {
    const misconfigured = createTitanPmrSync({ baseUrl: titan.url, apiKey: 'revoked' });
    await expect(misconfigured.pushPatientAndOrder(pomOrder())).rejects.toMatchObject({
      name: 'VendorRejectedError',
      vendor: 'titanpmr',
      code: 'unauthorized',
    });
  });
});
