/**
 * Stand-in for SignatureRx, the UK e-prescribing service where a prescriber signs a private
 * prescription that a pharmacy then dispenses. Its integration API is shared with partners only,
 * so this is a plain REST + JSON design around the flow SignatureRx describes publicly: the
 * pharmacy creates the prescription, the prescriber signs it in the SignatureRx portal, and a
 * webhook tells the pharmacy it is signed. A signed prescription is final.
 *
 *   POST  /api/v1/prescriptions              Authorization: Bearer <apiKey>, Idempotency-Key (optional)
 *   { "clinicReference": "…",                the pharmacy's consultation reference, echoed in webhooks
 *     "patient":    { "fullName", "dateOfBirth": "YYYY-MM-DD",
 *                     "address": { "line1", "line2"?, "city", "postcode" }, "nhsNumber"? },
 *     "prescriber": { "externalId", "fullName", "registrationNumber": "1234567" },   GMC or GPhC
 *     "medicines":  [{ "name", "strength", "quantity", "directions" }],
 *     "durationMonths": 1 }                   1–3: one prescription covers at most a 3-month plan
 *   201 <prescription>  { "id": "rx_…", "status": "awaiting_signature", "signingUrl", "createdAt",
 *                         "signedAt": null, "cancelledAt": null, "cancellationReason": null, …request }
 *
 *   GET   /api/v1/prescriptions/{id}         200 <prescription>
 *   PATCH /api/v1/prescriptions/{id}         { "medicines"?, "durationMonths"? } before signing only
 *   POST  /api/v1/prescriptions/{id}/cancel  { "reason" }, Idempotency-Key; before signing only
 *
 *   GET   /sign/{id}                         the prescriber's signing page (HTML, "Sign prescription")
 *   POST  /sign/{id}                         the button: signs, then 303 back to the page
 *
 * Errors: `{ "error": { "code", "message", "field"? } }` — 400 invalid_request, 401 unauthorized,
 * 404 not_found, 409 rx_final (any change to a signed prescription) or rx_cancelled,
 * 422 idempotency_key_reused, 503 when told to fail.
 *
 * Webhooks, POSTed to the registered URL and signed as ./webhookOutbox.ts describes:
 *   { "id": "evt_…", "type": "prescription.signed" | "prescription.cancelled", "createdAt",
 *     "data": { "prescriptionId", "clinicReference", "signedAt" | "cancelledAt" + "reason" } }
 */
import { randomBytes } from 'node:crypto';
import {
  type Answer,
  bearerToken,
  createIdempotency,
  createStandInApp,
  type FaultControls,
  guardApi,
  type ListenOptions,
  listen,
  type StandInClock,
  singleHeader,
  wallClock,
} from '../lexisnexis/standInKit.js';
import {
  cancelBody,
  createBody,
  errorBody,
  invalidRequest,
  type Prescription,
  RX_FINAL,
  updateBody,
} from './prescriptions.js';
import { signingPage } from './signingPage.js';
import { createWebhookOutbox, type WebhookDelivery } from './webhookOutbox.js';

export type SignatureRxStandInOptions = ListenOptions & {
  apiKey?: string;
  webhookSecret?: string;
  /** Where webhooks go; `setWebhookUrl` can set it later. */
  webhookUrl?: string;
  clock?: StandInClock;
  /** Waits between delivery attempts; three quick retries by default. */
  retryDelaysMs?: readonly number[];
};

export type SignatureRxStandIn = FaultControls & {
  url: string;
  apiKey: string;
  webhookSecret: string;
  close(): Promise<void>;
  setWebhookUrl(url: string | undefined): void;
  /** What the prescriber's button does: signs, locks, and sends `prescription.signed`. */
  sign(id: string): Prescription;
  /** The prescriber declines in the portal: `prescription.cancelled`. */
  decline(id: string, reason: string): Prescription;
  prescriptions(): readonly Prescription[];
  deliveries(): readonly WebhookDelivery[];
  /** Resolves once every webhook queued so far has been delivered or given up on. */
  webhooksIdle(): Promise<void>;
};

export const DEFAULT_SIGNATURERX_API_KEY = 'srx_sandbox_key';
export const DEFAULT_SIGNATURERX_WEBHOOK_SECRET = 'srx_whsec_sandbox';

const notFound = (id: string): Answer => ({
  status: 404,
  body: errorBody('not_found', `No prescription ${id}`),
});
const cancelledAlready = (rx: Prescription): Answer => ({
  status: 409,
  body: errorBody('rx_cancelled', `Prescription ${rx.id} was cancelled: ${rx.cancellationReason}`),
});

export const startSignatureRxStandIn = async (
  options: SignatureRxStandInOptions = {},
): Promise<SignatureRxStandIn> => {
  const apiKey = options.apiKey ?? DEFAULT_SIGNATURERX_API_KEY;
  const webhookSecret = options.webhookSecret ?? DEFAULT_SIGNATURERX_WEBHOOK_SECRET;
  const clock = options.clock ?? wallClock;
  let webhookUrl = options.webhookUrl;
  const store = new Map<string, Prescription>();
  const outbox = createWebhookOutbox({
    secret: webhookSecret,
    url: () => webhookUrl,
    clock,
    retryDelaysMs: options.retryDelaysMs ?? [50, 200, 800],
    attemptTimeoutMs: 2_000,
    userAgent: 'SignatureRx-Webhooks/1.0 (sandbox)',
  });
  const idempotency = createIdempotency((key) => ({
    status: 422,
    body: errorBody('idempotency_key_reused', `Idempotency-Key ${key} was used for a different request`),
  }));
  let baseUrl = '';

  const app = createStandInApp();
  const isSigningPage = (url: string) => url.startsWith('/sign/');
  const faults = guardApi(app, {
    isPublic: (request) => isSigningPage(request.url),
    authorized: (request) => bearerToken(request) === apiKey,
    errorBody: (_status, code, message) => errorBody(code, message),
  });
  // The signing form posts an empty urlencoded body; its content is the click itself.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, _b, done) =>
    done(null, {}),
  );

  const emit = (type: string, rx: Prescription, data: Record<string, unknown>) => {
    const id = `evt_${randomBytes(12).toString('hex')}`;
    outbox.send({
      id,
      type,
      payload: {
        id,
        type,
        createdAt: clock.now().toISOString(),
        data: { prescriptionId: rx.id, clinicReference: rx.clinicReference, ...data },
      },
    });
  };

  const sign = (rx: Prescription): Prescription => {
    if (rx.status === 'cancelled')
      throw new Error(`Prescription ${rx.id} was cancelled and cannot be signed`);
    if (rx.status === 'signed') return rx;
    rx.status = 'signed';
    rx.signedAt = clock.now().toISOString();
    emit('prescription.signed', rx, { signedAt: rx.signedAt });
    return rx;
  };

  const cancel = (rx: Prescription, reason: string): Answer => {
    if (rx.status === 'signed') return { status: 409, body: RX_FINAL };
    if (rx.status === 'awaiting_signature') {
      rx.status = 'cancelled';
      rx.cancelledAt = clock.now().toISOString();
      rx.cancellationReason = reason;
      emit('prescription.cancelled', rx, { cancelledAt: rx.cancelledAt, reason });
    }
    return { status: 200, body: structuredClone(rx) };
  };

  const create = (body: unknown): Answer => {
    const parsed = createBody.safeParse(body);
    if (!parsed.success) return { status: 400, body: invalidRequest(parsed.error) };
    const id = `rx_${randomBytes(10).toString('hex')}`;
    const rx: Prescription = {
      ...parsed.data,
      id,
      status: 'awaiting_signature',
      signingUrl: `${baseUrl}/sign/${id}`,
      createdAt: clock.now().toISOString(),
      signedAt: null,
      cancelledAt: null,
      cancellationReason: null,
    };
    store.set(id, rx);
    return { status: 201, body: structuredClone(rx) };
  };

  app.post('/api/v1/prescriptions', async (request, reply) => {
    const key = singleHeader(request, 'idempotency-key');
    const answer = await idempotency.run(key && `create:${key}`, request.body, () => create(request.body));
    return reply.code(answer.status).send(answer.body);
  });

  // Prescriptions by the pharmacy's own reference: how a client finds one it may have created.
  app.get<{ Querystring: { clinicReference?: string } }>('/api/v1/prescriptions', async (request, reply) => {
    const reference = request.query.clinicReference;
    if (!reference)
      return reply
        .code(400)
        .send({ error: { code: 'invalid_request', message: 'clinicReference is required' } });
    return { data: [...store.values()].filter((rx) => rx.clinicReference === reference) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/prescriptions/:id', async (request, reply) => {
    const rx = store.get(request.params.id);
    const answer = rx ? { status: 200, body: rx } : notFound(request.params.id);
    return reply.code(answer.status).send(answer.body);
  });

  app.patch<{ Params: { id: string } }>('/api/v1/prescriptions/:id', async (request, reply) => {
    const rx = store.get(request.params.id);
    if (!rx) return reply.code(404).send(notFound(request.params.id).body);
    if (rx.status === 'signed') return reply.code(409).send(RX_FINAL);
    if (rx.status === 'cancelled') return reply.code(409).send(cancelledAlready(rx).body);
    const parsed = updateBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalidRequest(parsed.error));
    Object.assign(rx, parsed.data);
    return rx;
  });

  app.post<{ Params: { id: string } }>('/api/v1/prescriptions/:id/cancel', async (request, reply) => {
    const { id } = request.params;
    const key = singleHeader(request, 'idempotency-key');
    const answer = await idempotency.run(key && `cancel:${id}:${key}`, request.body, () => {
      const rx = store.get(id);
      if (!rx) return notFound(id);
      const parsed = cancelBody.safeParse(request.body);
      if (!parsed.success) return { status: 400, body: invalidRequest(parsed.error) };
      return cancel(rx, parsed.data.reason);
    });
    return reply.code(answer.status).send(answer.body);
  });

  app.get<{ Params: { id: string } }>('/sign/:id', async (request, reply) => {
    const rx = store.get(request.params.id);
    if (!rx) return reply.code(404).type('text/html; charset=utf-8').send('<h1>Prescription not found</h1>');
    return reply.type('text/html; charset=utf-8').send(signingPage(rx));
  });

  app.post<{ Params: { id: string } }>('/sign/:id', async (request, reply) => {
    const rx = store.get(request.params.id);
    if (!rx) return reply.code(404).type('text/html; charset=utf-8').send('<h1>Prescription not found</h1>');
    if (rx.status === 'awaiting_signature') sign(rx);
    return reply.redirect(`/sign/${encodeURIComponent(rx.id)}`, 303);
  });

  app.addHook('onClose', async () => outbox.close());
  baseUrl = await listen(app, options);

  const find = (id: string): Prescription => {
    const rx = store.get(id);
    if (!rx) throw new Error(`No prescription ${id}`);
    return rx;
  };

  return {
    url: baseUrl,
    apiKey,
    webhookSecret,
    close: () => app.close(),
    ...faults,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    sign: (id) => structuredClone(sign(find(id))),
    decline(id, reason) {
      const answer = cancel(find(id), reason);
      if (answer.status !== 200) throw new Error(`Prescription ${id} is signed: Rx is final`);
      return structuredClone(find(id));
    },
    prescriptions: () => [...store.values()].map((rx) => structuredClone(rx)),
    deliveries: () => outbox.deliveries(),
    webhooksIdle: () => outbox.idle(),
  };
};
