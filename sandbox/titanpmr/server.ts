/**
 * Stand-in for TitanPMR, a UK pharmacy's patient medication record. Titan publishes no API
 * documentation, so this is a plain REST + JSON design for the one exchange the platform needs:
 * file the patient under the platform's id, then record an order against them.
 *
 *   PUT  /api/v1/patients/{externalRef}     Authorization: Bearer <apiKey>
 *   { "forename", "surname", "dateOfBirth": "YYYY-MM-DD",
 *     "address": { "line1", "line2"?, "town", "postcode" }, "nhsNumber"?, "email"?, "mobile"? }
 *   201 (new) or 200 (updated) { "patientId": "TP…", "externalRef", …the patient, "updatedAt" }
 *   An upsert: repeating it is harmless, so it needs no idempotency key.
 *
 *   POST /api/v1/orders                     Idempotency-Key (optional)
 *   { "patientId", "externalReference": "…",                the pharmacy's order reference
 *     "lines": [{ "description", "quantity", "strength"?, "directions"? }],
 *     "authorisation": { "type": "prescription", "prescriptionId" }
 *                    | { "type": "pharmacist_approval", "approvalReference" } }
 *   201 { "orderId": "TO…", "patientId", "externalReference", "status": "received", "receivedAt", … }
 *   The external reference is unique: sent again with the same content it answers 200 with the
 *   order already on file (a client-reference replay); with other content, 409 order_exists.
 *
 *   GET  /api/v1/orders/{orderId}
 *
 * Errors are RFC 9457 problem details with a `code`: 400 invalid_request, 401 unauthorized,
 * 404 patient_not_found / order_not_found, 409 order_exists, 422 idempotency_key_reused, 503.
 */
import { z } from 'zod';
import {
  type Answer,
  bearerToken,
  createIdempotency,
  createStandInApp,
  type FaultControls,
  fingerprint,
  guardApi,
  type ListenOptions,
  listen,
  type StandInClock,
  singleHeader,
  wallClock,
} from '../lexisnexis/standInKit.js';

export type TitanPmrStandInOptions = ListenOptions & { apiKey?: string; clock?: StandInClock };

export type TitanPatient = z.infer<typeof patientBody> & {
  patientId: string;
  externalRef: string;
  updatedAt: string;
};
export type TitanOrder = z.infer<typeof orderBody> & {
  orderId: string;
  status: 'received';
  receivedAt: string;
};

export type TitanPmrStandIn = FaultControls & {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  /** Everything the PMR holds, as it was sent. */
  records(): { patients: readonly TitanPatient[]; orders: readonly TitanOrder[] };
};

export const DEFAULT_TITAN_API_KEY = 'titan_sandbox_key';

const text = (max: number) => z.string().trim().min(1).max(max);

const patientBody = z.object({
  forename: text(100),
  surname: text(100),
  dateOfBirth: z.iso.date(),
  address: z.object({ line1: text(100), line2: text(100).optional(), town: text(100), postcode: text(10) }),
  nhsNumber: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
  email: z.email().optional(),
  mobile: text(25).optional(),
});

const orderBody = z.object({
  patientId: text(40),
  externalReference: text(100),
  lines: z
    .array(
      z.object({
        description: text(200),
        quantity: z.number().int().positive(),
        strength: text(100).optional(),
        directions: text(500).optional(),
      }),
    )
    .min(1),
  authorisation: z.discriminatedUnion('type', [
    z.object({ type: z.literal('prescription'), prescriptionId: text(100) }),
    z.object({ type: z.literal('pharmacist_approval'), approvalReference: text(100) }),
  ]),
});

const problem = (status: number, code: string, detail: string) => ({
  type: `https://sandbox.titanpmr.invalid/problems/${code}`,
  title: code.replace(/_/g, ' '),
  status,
  code,
  detail,
});

const answer = (status: number, code: string, detail: string): Answer => ({
  status,
  body: problem(status, code, detail),
});

const invalid = (error: z.ZodError): Answer => {
  const issue = error.issues[0];
  return answer(400, 'invalid_request', `${issue?.path.join('.')}: ${issue?.message}`);
};

export const startTitanPmrStandIn = async (
  options: TitanPmrStandInOptions = {},
): Promise<TitanPmrStandIn> => {
  const apiKey = options.apiKey ?? DEFAULT_TITAN_API_KEY;
  const clock = options.clock ?? wallClock;
  const patients = new Map<string, TitanPatient>(); // by externalRef
  const orders = new Map<string, TitanOrder>(); // by orderId
  const byReference = new Map<string, { orderId: string; fingerprint: string }>();
  const idempotency = createIdempotency((key) =>
    answer(422, 'idempotency_key_reused', `Idempotency-Key ${key} was used for a different request`),
  );
  let sequence = 0;
  const nextId = (prefix: string) => `${prefix}${String(++sequence).padStart(8, '0')}`;

  const app = createStandInApp();
  const faults = guardApi(app, {
    authorized: (request) => bearerToken(request) === apiKey,
    errorBody: problem,
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 400) reply.type('application/problem+json');
    return payload;
  });

  app.put<{ Params: { externalRef: string } }>('/api/v1/patients/:externalRef', async (request, reply) => {
    const parsed = patientBody.safeParse(request.body);
    if (!parsed.success) {
      const failed = invalid(parsed.error);
      return reply.code(failed.status).send(failed.body);
    }
    const { externalRef } = request.params;
    const existing = patients.get(externalRef);
    const patient: TitanPatient = {
      ...parsed.data,
      patientId: existing?.patientId ?? nextId('TP'),
      externalRef,
      updatedAt: clock.now().toISOString(),
    };
    patients.set(externalRef, patient);
    return reply.code(existing ? 200 : 201).send(patient);
  });

  const createOrder = (body: unknown): Answer => {
    const parsed = orderBody.safeParse(body);
    if (!parsed.success) return invalid(parsed.error);
    const order = parsed.data;
    if (![...patients.values()].some((p) => p.patientId === order.patientId)) {
      return answer(404, 'patient_not_found', `No patient ${order.patientId}`);
    }
    const print = fingerprint(order);
    const known = byReference.get(order.externalReference);
    if (known) {
      if (known.fingerprint === print) return { status: 200, body: orders.get(known.orderId) };
      return answer(
        409,
        'order_exists',
        `Order ${order.externalReference} is already on file with other content`,
      );
    }
    const created: TitanOrder = {
      ...order,
      orderId: nextId('TO'),
      status: 'received',
      receivedAt: clock.now().toISOString(),
    };
    orders.set(created.orderId, created);
    byReference.set(order.externalReference, { orderId: created.orderId, fingerprint: print });
    return { status: 201, body: created };
  };

  app.post('/api/v1/orders', async (request, reply) => {
    const result = await idempotency.run(singleHeader(request, 'idempotency-key'), request.body, () =>
      createOrder(request.body),
    );
    return reply.code(result.status).send(result.body);
  });

  app.get<{ Params: { orderId: string } }>('/api/v1/orders/:orderId', async (request, reply) => {
    const order = orders.get(request.params.orderId);
    if (!order) {
      const missing = answer(404, 'order_not_found', `No order ${request.params.orderId}`);
      return reply.code(missing.status).send(missing.body);
    }
    return order;
  });

  const url = await listen(app, options);

  return {
    url,
    apiKey,
    close: () => app.close(),
    ...faults,
    records: () => structuredClone({ patients: [...patients.values()], orders: [...orders.values()] }),
  };
};
