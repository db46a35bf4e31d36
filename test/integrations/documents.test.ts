import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_STAND_IN_CREDENTIALS, type S3StandIn, startS3StandIn } from '../../sandbox/s3/server.js';
import { classifyS3Error, createS3DocumentStore } from '../../src/integrations/documents/s3DocumentStore.js';
import { MAX_CARD_IMAGE_BYTES, sniffDocumentType } from '../../src/integrations/documents/sniff.js';
import { VendorRejectedError, VendorUnavailableError } from '../../src/integrations/errors.js';

// A 1×1 PNG: a real image, not just a signature.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const storeFor = (endpoint: string, bucket: string, maxAttempts?: number) =>
  createS3DocumentStore({
    endpoint,
    region: 'us-east-1',
    bucket,
    ...S3_STAND_IN_CREDENTIALS,
    forcePathStyle: true,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  });

describe('S3 document store against the local stand-in', () => {
  let directory: string;
  let s3: S3StandIn;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 's3-stand-in-'));
    s3 = await startS3StandIn({ directory, buckets: ['insurance-cards'] });
  });
  afterAll(async () => {
    await s3.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('given a card image, when it is put and read back, then bytes and content type survive', async () => {
    const store = storeFor(s3.endpoint, 'insurance-cards');

    const stored = await store.put({
      key: 'enrollments/01JGS8Q66/card-front.png',
      body: PNG,
      contentType: 'image/png',
      metadata: { 'enrollment-id': '01JGS8Q66', side: 'front' },
    });
    const read = await store.get('enrollments/01JGS8Q66/card-front.png');

    expect(stored).toEqual({
      key: 'enrollments/01JGS8Q66/card-front.png',
      etag: expect.stringMatching(/^[0-9a-f]{32}$/),
      size: PNG.length,
    });
    expect(read?.contentType).toBe('image/png');
    expect(read?.body.equals(PNG)).toBe(true);
  });

  it('given no object under a key, when it is read, then the answer is null', async () => {
    expect(await storeFor(s3.endpoint, 'insurance-cards').get('enrollments/none/card-back.png')).toBeNull();
  });

  it('given a missing bucket, when ensureBucket runs twice, then the bucket exists and takes objects', async () => {
    const store = storeFor(s3.endpoint, 'receipts');
    await store.ensureBucket();
    await store.ensureBucket();

    await store.put({ key: 'r/1.pdf', body: Buffer.from('%PDF-1.7'), contentType: 'application/pdf' });
    expect((await store.get('r/1.pdf'))?.body.toString()).toBe('%PDF-1.7');
  });

  // s3rver does not verify SigV4 signatures, but it does refuse an unknown access key.
  it('given an unknown access key, when putting, then it is a retryable configuration fault, not a rejection', async () => {
    const store = createS3DocumentStore({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: 'insurance-cards',
      accessKeyId: 'NOT-A-KEY',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const error = await store.put({ key: 'k', body: PNG, contentType: 'image/png' }).catch((e) => e);
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(((error as VendorUnavailableError).cause as Error).name).toBe('InvalidAccessKeyId');
  });
});

describe('S3 document store failures', () => {
  it('given the S3 server is down, when putting or getting, then the vendor is unavailable', async () => {
    const directory = await mkdtemp(join(tmpdir(), 's3-down-'));
    const s3 = await startS3StandIn({ directory, buckets: ['insurance-cards'] });
    await s3.close();
    const store = storeFor(s3.endpoint, 'insurance-cards', 1);

    const putError = await store.put({ key: 'k', body: PNG, contentType: 'image/png' }).catch((e) => e);
    const getError = await store.get('k').catch((e) => e);

    expect(putError).toBeInstanceOf(VendorUnavailableError);
    expect((putError as VendorUnavailableError).vendor).toBe('s3');
    expect(getError).toBeInstanceOf(VendorUnavailableError);
    await rm(directory, { recursive: true, force: true });
  });

  const s3Error = (name: string, status: number) =>
    new S3ServiceException({
      name,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
      message: name,
    });

  it('given S3 answers 503 SlowDown, when classified, then it is retried later', () => {
    expect(classifyS3Error(s3Error('SlowDown', 503), 'PutObject')).toBeInstanceOf(VendorUnavailableError);
  });

  it('given S3 answers 400 EntityTooLarge, when classified, then it is a final rejection with the S3 code', () => {
    const error = classifyS3Error(s3Error('EntityTooLarge', 400), 'PutObject');
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect((error as VendorRejectedError).code).toBe('EntityTooLarge');
  });
});

describe('document type sniffing', () => {
  it('given the first bytes of a PNG, JPEG or PDF, when sniffed, then the real type is named', () => {
    expect(sniffDocumentType(PNG)).toBe('image/png');
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]))).toBe(
      'image/jpeg',
    );
    expect(sniffDocumentType(Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'))).toBe('application/pdf');
  });

  it('given a text file renamed card.png, when sniffed, then it is no document type', () => {
    expect(sniffDocumentType(Buffer.from('Member ID: W123456789\nGroup: 4400\n'))).toBeNull();
  });

  it('given empty or truncated input, when sniffed, then it is no document type', () => {
    expect(sniffDocumentType(Buffer.alloc(0))).toBeNull();
    expect(sniffDocumentType(PNG.subarray(0, 7))).toBeNull();
    expect(sniffDocumentType(Buffer.from('%PDF'))).toBeNull();
  });

  it('given the card image limit, then it is 10 MiB', () => {
    expect(MAX_CARD_IMAGE_BYTES).toBe(10_485_760);
  });
});
