import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IduStandIn, startIduStandIn } from '../../../sandbox/lexisnexis/server.js';
import { VendorRejectedError, VendorUnavailableError } from '../../../src/integrations/errors.js';
import { createIduVerifier } from '../../../src/integrations/identity/iduVerifier.js';
import type { IdentityVerifier, VerifyIdentityInput } from '../../../src/integrations/identity/port.js';

let idu: IduStandIn;
let verifier: IdentityVerifier;

const applicant = (lastName: string, postcode = 'BA1 2LX'): VerifyIdentityInput => ({
  idempotencyKey: randomUUID(),
  person: { firstName: 'Amelia', lastName, dateOfBirth: '1980-04-12', email: 'amelia@example.co.uk' },
  address: { line1: '7 Orchard Row', town: 'Bath', postcode, country: 'GB' },
});

// The smallest bytes IDU would accept as a JPEG: the SOI marker and then some.
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

beforeAll(async () => {
  idu = await startIduStandIn();
  verifier = createIduVerifier({ baseUrl: idu.url, apiKey: idu.apiKey, timeoutMs: 2_000 });
});

afterAll(async () => {
  await idu?.close();
});

describe('an electronic identity check', () => {
  it('passes a person found at the address with a confirmed date of birth', async () => {
    const result = await verifier.verify(applicant('Hart'));
    expect(result).toEqual({
      outcome: 'pass',
      reference: expect.stringMatching(/^IDU\d{9}$/),
      score: 85,
      checks: [
        { name: 'address', result: 'pass' },
        { name: 'date_of_birth', result: 'pass' },
        { name: 'mortality', result: 'pass' },
        { name: 'sanctions', result: 'pass' },
        { name: 'pep', result: 'pass' },
      ],
    });
  });

  it('refers a person whose date of birth cannot be confirmed', async () => {
    const result = await verifier.verify(applicant('Referton'));
    expect(result).toMatchObject({ outcome: 'refer', score: 15 });
    expect(result.checks).toContainEqual({ name: 'date_of_birth', result: 'fail' });
  });

  it('fails a person not found at all, one reported deceased, and a sanctions hit', async () => {
    expect(await verifier.verify(applicant('Failsworth'))).toMatchObject({ outcome: 'fail', score: -60 });
    const deceased = await verifier.verify(applicant('Hart', 'ZZ9 9ZZ'));
    expect(deceased).toMatchObject({ outcome: 'fail' });
    expect(deceased.checks).toContainEqual({ name: 'mortality', result: 'fail' });
    const sanctioned = await verifier.verify(applicant('Sanctionova'));
    expect(sanctioned.checks).toContainEqual({ name: 'sanctions', result: 'fail' });
  });

  it('follows an outcome set for a surname', async () => {
    idu.setOutcome('Okafor', 'refer');
    expect(await verifier.verify(applicant('OKAFOR'))).toMatchObject({ outcome: 'refer' });
  });

  it('answers a retried check with the first answer, searching once', async () => {
    const input = applicant('Whitfield');
    const first = await verifier.verify(input);
    expect(await verifier.verify(input)).toEqual(first);
    expect(idu.searches().filter((s) => s.request.person.surname === 'Whitfield')).toHaveLength(1);

    const another = await verifier.verify({ ...input, idempotencyKey: randomUUID() });
    expect(another.reference).not.toBe(first.reference);
  });

  it('refuses a key reused for another person', async () => {
    const input = applicant('Marsh');
    await verifier.verify(input);
    await expect(
      verifier.verify({ ...input, person: { ...input.person, lastName: 'Fenwick' } }),
    ).rejects.toMatchObject({ name: 'VendorRejectedError', code: 'idempotency_key_reused' });
  });

  it('rejects a date of birth that is not a date', async () => {
    const input = applicant('Hart');
    const attempt = verifier.verify({ ...input, person: { ...input.person, dateOfBirth: '12/04/1980' } });
    await expect(attempt).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('person.dob'),
    });
  });
});

describe('a photo ID after a refer or fail', () => {
  it('passes for a referred search and goes to manual review for a failed one', async () => {
    const referred = await verifier.verify(applicant('Referwell'));
    const document = {
      idempotencyKey: randomUUID(),
      documentType: 'passport' as const,
      image: jpeg,
      contentType: 'image/jpeg',
    };
    expect(await verifier.submitDocument({ ...document, reference: referred.reference })).toEqual({
      outcome: 'pass',
      reference: referred.reference,
    });

    const failed = await verifier.verify(applicant('Failbrook'));
    expect(
      await verifier.submitDocument({
        ...document,
        idempotencyKey: randomUUID(),
        reference: failed.reference,
      }),
    ).toEqual({ outcome: 'manual_review', reference: failed.reference });
  });

  it('follows a document outcome set for a surname, once per key', async () => {
    idu.setDocumentOutcome('Referley', 'fail');
    const referred = await verifier.verify(applicant('Referley'));
    const upload = {
      idempotencyKey: randomUUID(),
      reference: referred.reference,
      documentType: 'driving_licence' as const,
      image: jpeg,
      contentType: 'image/jpeg',
    };
    expect(await verifier.submitDocument(upload)).toMatchObject({ outcome: 'fail' });
    await verifier.submitDocument(upload);
    expect(idu.searches().find((s) => s.id === referred.reference)?.documents).toHaveLength(1);
  });

  it('rejects an image that is not what it claims to be, and an unknown search', async () => {
    const referred = await verifier.verify(applicant('Referford'));
    const upload = {
      idempotencyKey: randomUUID(),
      reference: referred.reference,
      documentType: 'passport' as const,
      image: Buffer.from('not a photo'),
      contentType: 'image/jpeg',
    };
    await expect(verifier.submitDocument(upload)).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'unreadable_image',
    });
    await expect(
      verifier.submitDocument({
        ...upload,
        idempotencyKey: randomUUID(),
        reference: 'IDU000000000',
        image: jpeg,
      }),
    ).rejects.toMatchObject({ name: 'VendorRejectedError', code: 'search_not_found' });
  });
});

describe('when IDU is unavailable', () => {
  it('reports 503 and 429 as VendorUnavailableError, and the retry with the same key succeeds', async () => {
    const input = applicant('Hart');
    idu.failNextRequests(1);
    await expect(verifier.verify(input)).rejects.toBeInstanceOf(VendorUnavailableError);
    idu.failNextRequests(1, 429);
    await expect(verifier.verify(input)).rejects.toBeInstanceOf(VendorUnavailableError);
    await expect(verifier.verify(input)).resolves.toMatchObject({ outcome: 'pass' });
  });

  it('reports a slow answer as a timeout', async () => {
    const impatient = createIduVerifier({ baseUrl: idu.url, apiKey: idu.apiKey, timeoutMs: 100 });
    idu.delayNextRequests(1, 400);
    await expect(impatient.verify(applicant('Hart'))).rejects.toMatchObject({
      name: 'VendorUnavailableError',
      message: expect.stringContaining('timed out after 100 ms'),
    });
  });

  it('reports a closed port as VendorUnavailableError', async () => {
    const gone = await startIduStandIn();
    await gone.close();
    const unreachable = createIduVerifier({ baseUrl: gone.url, apiKey: gone.apiKey });
    await expect(unreachable.verify(applicant('Hart'))).rejects.toMatchObject({
      name: 'VendorUnavailableError',
      message: expect.stringContaining('unreachable'),
    });
  });

  it('reports a wrong API key as VendorRejectedError', async () => {
    const misconfigured = createIduVerifier({ baseUrl: idu.url, apiKey: 'revoked' });
    await expect(misconfigured.verify(applicant('Hart'))).rejects.toMatchObject({
      name: 'VendorRejectedError',
      vendor: 'idu',
      code: 'unauthorized',
    });
  });
});
