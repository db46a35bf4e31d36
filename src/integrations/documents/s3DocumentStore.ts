import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';
import { newS3Client } from '../s3Client.js';
import type { DocumentStore } from './port.js';

export type S3DocumentStoreConfig = {
  /** Omit for AWS; set for S3-compatible servers (MinIO, the local stand-in). */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` in the path instead of the host name: needed by most S3-compatible servers. */
  forcePathStyle?: boolean;
  /** SDK attempts per call, for blips; longer outages are the platform's retry schedule. */
  maxAttempts?: number;
};

export type S3DocumentStore = DocumentStore & {
  /** Creates the bucket when missing: a development convenience, production buckets are provisioned. */
  ensureBucket(): Promise<void>;
};

// Nothing is wrong with the document itself: once credentials or the bucket are fixed, a retry works.
const CONFIGURATION_CODES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'NoSuchBucket',
  'PermanentRedirect',
]);

/**
 * Network failures, timeouts, 5xx, throttling and misconfiguration are retried later; any other
 * 4xx (too large, invalid key…) is about this request and is final.
 */
export const classifyS3Error = (error: unknown, operation: string): Error => {
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  const name = error instanceof Error ? error.name : 'Unknown';
  const message = `S3 ${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
  if (
    status === undefined ||
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    CONFIGURATION_CODES.has(name)
  ) {
    return new VendorUnavailableError('s3', message, error);
  }
  return new VendorRejectedError('s3', name, message, { status });
};

const stripQuotes = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');

export const createS3DocumentStore = (config: S3DocumentStoreConfig): S3DocumentStore => {
  const client = newS3Client({
    region: config.region,
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? false,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    maxAttempts: config.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
  const Bucket = config.bucket;

  return {
    async put({ key, body, contentType, metadata }) {
      try {
        const result = await client.send(
          new PutObjectCommand({
            Bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ...(metadata ? { Metadata: metadata } : {}),
            // S3 verifies the body against this checksum and refuses a corrupted upload.
            ChecksumAlgorithm: 'SHA256',
          }),
        );
        return { key, etag: stripQuotes(result.ETag), size: body.length };
      } catch (error) {
        throw classifyS3Error(error, `PutObject ${key}`);
      }
    },

    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        const bytes = await result.Body?.transformToByteArray();
        return {
          body: Buffer.from(bytes ?? new Uint8Array()),
          contentType: result.ContentType ?? 'application/octet-stream',
        };
      } catch (error) {
        if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return null;
        throw classifyS3Error(error, `GetObject ${key}`);
      }
    },

    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return;
      } catch (error) {
        const missing = error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
        if (!missing) throw classifyS3Error(error, `HeadBucket ${Bucket}`);
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket }));
      } catch (error) {
        // Another process created it between our check and our create: the bucket exists, as wanted.
        if (error instanceof S3ServiceException && error.name === 'BucketAlreadyOwnedByYou') return;
        throw classifyS3Error(error, `CreateBucket ${Bucket}`);
      }
    },
  };
};
