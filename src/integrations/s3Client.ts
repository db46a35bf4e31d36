import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** The SDK's documented switch for its Node-version notice; the notice is printed once per process. */
const NOTICE_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Every S3 client the platform makes. The SDK prints, when its first client is built on Node 20, that
 * its releases after January 2027 will need Node 22. The platform pins SDK versions that support
 * Node 20 (README: "Node.js 20 is all you need"), so the notice is not the operator's to act on: it
 * is switched off with the SDK's own setting, unless the environment sets that explicitly.
 */
export const newS3Client = (config: S3ClientConfig): S3Client => {
  process.env[NOTICE_SWITCH] ??= 'true';
  return new S3Client(config);
};
