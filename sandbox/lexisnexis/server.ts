/**
 * Stand-in for LexisNexis Risk Solutions IDU, the UK electronic identity check (formerly
 * Tracesmart). IDU's API is available to customers only; its public material describes a search
 * on name, date of birth and address that returns a summary (search ID, client reference, a
 * `smartscore` and `resultText` PASS / REFER / FAIL) and per-service results (address and DOB
 * match, mortality "deathscreen", sanctions, PEP), plus document checks for a referred person.
 * This stand-in renders that vocabulary as REST + JSON:
 *
 *   POST /api/v1/searches                 Authorization: Bearer <apiKey>, Idempotency-Key (optional)
 *   { "reference": "…",                   the client's reference, echoed back
 *     "person":  { "forename", "middleName"?, "surname", "dob": "YYYY-MM-DD", "email"? },
 *     "address": { "address1", "address2"?, "town", "postcode", "countryCode": "GBR" } }
 *   200 { "summary": { "id": "IDU…", "ikey", "reference", "status": true, "smartscore": 85,
 *                      "resultText": "PASS" | "REFER" | "FAIL", "createdAt" },
 *         "results": { "address": { "matched", "source" }, "dob": { "matched" },
 *                      "deathscreen": { "alert" }, "sanction": { "alert" }, "pep": { "alert" } } }
 *
 *   GET  /api/v1/searches/{id}            the search as first answered
 *
 *   POST /api/v1/searches/{id}/documents  Idempotency-Key (optional)
 *   { "documentType": "PASSPORT" | "DRIVING_LICENCE",
 *     "contentType": "image/jpeg" | "image/png" | "application/pdf", "image": "<base64>" }
 *   200 { "documentId": "DOC…", "searchId", "result": "PASS" | "FAIL" | "MANUAL_REVIEW" }
 *
 * Errors: `{ "errors": [{ "code", "message", "field"? }] }` with 400 invalid_request /
 * unsupported_country / unreadable_image, 401 unauthorized, 404 search_not_found,
 * 422 idempotency_key_reused (same key, different request), 503 when told to fail.
 * Outcomes follow the test data: see ./outcomes.ts.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  DOCUMENT_CONTENT_TYPES,
  decideDocument,
  decideResults,
  type IduDocumentResult,
  type IduOutcome,
  looksLike,
  resultText,
  smartscore,
} from './outcomes.js';
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
} from './standInKit.js';

export type IduStandInOptions = ListenOptions & { apiKey?: string; clock?: StandInClock };

export type IduSearchRecord = {
  id: string;
  request: z.infer<typeof searchBody>;
  response: unknown;
  documents: { documentId: string; documentType: string; result: IduDocumentResult; bytes: number }[];
};

export type IduStandIn = FaultControls & {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  /** Every search after this one for `surname` (any case) comes out `outcome`. */
  setOutcome(surname: string, outcome: IduOutcome): void;
  /** Documents uploaded for `surname` come out `result`. */
  setDocumentOutcome(surname: string, result: IduDocumentResult): void;
  searches(): readonly IduSearchRecord[];
};

export const DEFAULT_IDU_API_KEY = 'idu_sandbox_key';

const isoDate = z.string().refine((value) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}, 'must be a real date as YYYY-MM-DD');

const text = (max: number) => z.string().trim().min(1).max(max);

const searchBody = z.object({
  reference: text(100),
  person: z.object({
    forename: text(50),
    middleName: text(50).optional(),
    surname: text(50),
    dob: isoDate,
    email: z.email().optional(),
  }),
  address: z.object({
    address1: text(100),
    address2: text(100).optional(),
    town: text(50),
    postcode: text(10),
    countryCode: z.string(),
  }),
});

const documentBody = z.object({
  documentType: z.enum(['PASSPORT', 'DRIVING_LICENCE']),
  contentType: z.string(),
  image: z.base64().min(1),
});

const errors = (code: string, message: string, field?: string) => ({
  errors: [{ code, message, ...(field ? { field } : {}) }],
});

const invalid = (error: z.ZodError): Answer => {
  const issue = error.issues[0];
  const field = issue?.path.join('.');
  return { status: 400, body: errors('invalid_request', `${field}: ${issue?.message}`, field) };
};

export const startIduStandIn = async (options: IduStandInOptions = {}): Promise<IduStandIn> => {
  const apiKey = options.apiKey ?? DEFAULT_IDU_API_KEY;
  const clock = options.clock ?? wallClock;
  const outcomes = new Map<string, IduOutcome>();
  const documentOutcomes = new Map<string, IduDocumentResult>();
  const searches = new Map<string, IduSearchRecord>();
  const idempotency = createIdempotency((key) => ({
    status: 422,
    body: errors('idempotency_key_reused', `Idempotency-Key ${key} was used for a different request`),
  }));
  let sequence = 0;
  const nextId = (prefix: string) => `${prefix}${String(++sequence).padStart(9, '0')}`;

  // Document images arrive base64-encoded in JSON: allow a phone photo of a passport.
  const app = createStandInApp({ bodyLimit: 15 * 1024 * 1024 });
  const faults = guardApi(app, {
    authorized: (request) => bearerToken(request) === apiKey,
    errorBody: (_status, code, message) => errors(code, message),
  });

  const search = (body: unknown): Answer => {
    const parsed = searchBody.safeParse(body);
    if (!parsed.success) return invalid(parsed.error);
    const request = parsed.data;
    if (request.address.countryCode !== 'GBR') {
      return {
        status: 400,
        body: errors('unsupported_country', 'IDU searches UK addresses only', 'address.countryCode'),
      };
    }
    const results = decideResults(request.person, request.address, outcomes);
    const score = smartscore(results);
    const id = nextId('IDU');
    const response = {
      summary: {
        id,
        ikey: randomBytes(8).toString('hex'),
        reference: request.reference,
        status: true,
        smartscore: score,
        resultText: resultText(score),
        createdAt: clock.now().toISOString(),
      },
      results,
    };
    searches.set(id, { id, request, response, documents: [] });
    return { status: 200, body: response };
  };

  const uploadDocument = (searchId: string, body: unknown): Answer => {
    const record = searches.get(searchId);
    if (!record) return { status: 404, body: errors('search_not_found', `No search ${searchId}`) };
    const parsed = documentBody.safeParse(body);
    if (!parsed.success) return invalid(parsed.error);
    const { documentType, contentType, image } = parsed.data;
    const bytes = Buffer.from(image, 'base64');
    if (!DOCUMENT_CONTENT_TYPES.includes(contentType) || !looksLike(bytes, contentType)) {
      return {
        status: 400,
        body: errors('unreadable_image', `The image is not a readable ${contentType}`, 'image'),
      };
    }
    const summary = (record.response as { summary: { resultText: 'PASS' | 'REFER' | 'FAIL' } }).summary;
    const result = decideDocument(summary.resultText, record.request.person.surname, documentOutcomes);
    const documentId = nextId('DOC');
    record.documents.push({ documentId, documentType, result, bytes: bytes.length });
    return { status: 200, body: { documentId, searchId, result: result.toUpperCase() } };
  };

  app.post('/api/v1/searches', async (request, reply) => {
    const answer = await idempotency.run(singleHeader(request, 'idempotency-key'), request.body, () =>
      search(request.body),
    );
    return reply.code(answer.status).send(answer.body);
  });

  app.get<{ Params: { id: string } }>('/api/v1/searches/:id', async (request, reply) => {
    const record = searches.get(request.params.id);
    if (!record) return reply.code(404).send(errors('search_not_found', `No search ${request.params.id}`));
    return record.response;
  });

  app.post<{ Params: { id: string } }>('/api/v1/searches/:id/documents', async (request, reply) => {
    const key = singleHeader(request, 'idempotency-key');
    const answer = await idempotency.run(
      key && `${request.params.id}:${key}`,
      { searchId: request.params.id, body: request.body },
      () => uploadDocument(request.params.id, request.body),
    );
    return reply.code(answer.status).send(answer.body);
  });

  const url = await listen(app, options);

  return {
    url,
    apiKey,
    close: () => app.close(),
    ...faults,
    setOutcome(surname, outcome) {
      outcomes.set(surname.trim().toLowerCase(), outcome);
    },
    setDocumentOutcome(surname, result) {
      documentOutcomes.set(surname.trim().toLowerCase(), result);
    },
    searches: () => [...searches.values()].map((record) => structuredClone(record)),
  };
};
