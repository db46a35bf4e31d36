import { z } from 'zod';
import type { IdentityCheck, IdentityVerifier } from './port.js';
import { createVendorHttp } from './vendorHttp.js';

export type IduVerifierConfig = {
  /** IDU's API base URL; the stand-in's `url` in development and tests. */
  baseUrl: string;
  apiKey: string;
  /** Bounds each call; the platform's retry schedule does the rest. */
  timeoutMs?: number;
};

/** Only the fields we read: IDU adds services and fields per account configuration. */
const searchResponse = z.object({
  summary: z.object({
    id: z.string().min(1),
    smartscore: z.number().int(),
    resultText: z.enum(['PASS', 'REFER', 'FAIL']),
  }),
  results: z.object({
    address: z.object({ matched: z.boolean() }).optional(),
    dob: z.object({ matched: z.boolean() }).optional(),
    deathscreen: z.object({ alert: z.boolean() }).optional(),
    sanction: z.object({ alert: z.boolean() }).optional(),
    pep: z.object({ alert: z.boolean() }).optional(),
  }),
});

const documentResponse = z.object({
  documentId: z.string(),
  searchId: z.string(),
  result: z.enum(['PASS', 'FAIL', 'MANUAL_REVIEW']),
});

const iduError = z.object({ errors: z.array(z.object({ code: z.string(), message: z.string() })).min(1) });

const check = (name: string, passed: boolean): IdentityCheck => ({ name, result: passed ? 'pass' : 'fail' });

/** IDU's services in the pharmacy's words; a service the account does not run is left out. */
const checksFrom = (results: z.infer<typeof searchResponse>['results']): IdentityCheck[] => [
  ...(results.address ? [check('address', results.address.matched)] : []),
  ...(results.dob ? [check('date_of_birth', results.dob.matched)] : []),
  ...(results.deathscreen ? [check('mortality', !results.deathscreen.alert)] : []),
  ...(results.sanction ? [check('sanctions', !results.sanction.alert)] : []),
  ...(results.pep ? [check('pep', !results.pep.alert)] : []),
];

export const createIduVerifier = (config: IduVerifierConfig): IdentityVerifier => {
  const http = createVendorHttp({
    vendor: 'idu',
    label: 'LexisNexis IDU',
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs ?? 15_000,
    headers: { authorization: `Bearer ${config.apiKey}` },
    readError: (body) => {
      const parsed = iduError.safeParse(body);
      return parsed.success ? parsed.data.errors[0] : undefined;
    },
  });

  return {
    async verify(input) {
      const { person, address } = input;
      const body = await http.json(
        {
          method: 'POST',
          path: 'api/v1/searches',
          headers: { 'idempotency-key': input.idempotencyKey },
          body: {
            // The key doubles as IDU's client reference, so a search is traceable from either side.
            reference: input.idempotencyKey,
            person: {
              forename: person.firstName,
              surname: person.lastName,
              dob: person.dateOfBirth,
              ...(person.email ? { email: person.email } : {}),
            },
            address: {
              address1: address.line1,
              ...(address.line2 ? { address2: address.line2 } : {}),
              town: address.town,
              postcode: address.postcode,
              countryCode: 'GBR',
            },
          },
        },
        searchResponse,
      );
      return {
        outcome:
          body.summary.resultText === 'PASS'
            ? 'pass'
            : body.summary.resultText === 'REFER'
              ? 'refer'
              : 'fail',
        reference: body.summary.id,
        score: body.summary.smartscore,
        checks: checksFrom(body.results),
      };
    },

    async submitDocument(input) {
      const body = await http.json(
        {
          method: 'POST',
          path: `api/v1/searches/${encodeURIComponent(input.reference)}/documents`,
          headers: { 'idempotency-key': input.idempotencyKey },
          body: {
            documentType: input.documentType === 'passport' ? 'PASSPORT' : 'DRIVING_LICENCE',
            contentType: input.contentType,
            image: input.image.toString('base64'),
          },
        },
        documentResponse,
      );
      const outcome =
        body.result === 'PASS' ? 'pass' : body.result === 'FAIL' ? 'fail' : ('manual_review' as const);
      return { outcome, reference: body.searchId };
    },
  };
};
