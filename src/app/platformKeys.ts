import { join } from 'node:path';
import { newS3Client } from '../integrations/s3Client.js';
import type { Config } from '../platform/config.js';
import { projectRoot } from '../platform/paths.js';
import { loadKey } from '../platform/secrets.js';
import { type AnchorSink, fileAnchors, s3Anchors } from '../projections/audit/anchors.js';
import { type AuditKey, auditKey } from '../projections/audit/auditRecord.js';

/**
 * The keys that live outside the database. The secrets key is only needed (and only made up on a
 * local install) when the platform must keep a secret of its own, i.e. LINK_SECRET is unset.
 */
export type PlatformKeys = { audit: AuditKey; secretsKey(): Promise<string> };

export const loadPlatformKeys = async (config: Config): Promise<PlatformKeys> => {
  const audit = await loadKey('audit-hmac', config.audit.hmacKey);
  return {
    audit: auditKey(audit.value),
    secretsKey: async () => (await loadKey('secrets', config.secretsKey)).value,
  };
};

export const DEFAULT_ANCHOR_DIR = join(projectRoot, '.data', 'audit-anchors');

/** Where the signed heads of the audit chain go: an S3 bucket when one is named, else a directory. */
export const auditAnchorSink = (config: Config): AnchorSink => {
  const { anchorS3Bucket, anchorS3Prefix, anchorDir } = config.audit;
  if (anchorS3Bucket) {
    const client = newS3Client({
      endpoint: config.s3.endpoint,
      region: config.s3.region,
      forcePathStyle: Boolean(config.s3.endpoint),
      ...(config.s3.accessKeyId && config.s3.secretAccessKey
        ? { credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey } }
        : {}),
    });
    return s3Anchors(client, anchorS3Bucket, anchorS3Prefix);
  }
  return fileAnchors(anchorDir ?? DEFAULT_ANCHOR_DIR);
};
