import { join } from 'node:path';
import { S3_STAND_IN_CREDENTIALS, startS3StandIn } from './server.js';

/** `npx tsx sandbox/s3/main.ts` — S3 on http://127.0.0.1:4568, objects under .data/s3. */
const s3 = await startS3StandIn({
  port: Number(process.env.S3_STAND_IN_PORT ?? 4568),
  directory: process.env.S3_STAND_IN_DIR ?? join(process.cwd(), '.data', 's3'),
  buckets: (process.env.S3_STAND_IN_BUCKETS ?? 'documents').split(','),
});
console.log(
  `S3 stand-in: ${s3.endpoint} (access key ${S3_STAND_IN_CREDENTIALS.accessKeyId}, secret ${S3_STAND_IN_CREDENTIALS.secretAccessKey}, path-style)`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void s3.close().then(() => process.exit(0));
  });
}
