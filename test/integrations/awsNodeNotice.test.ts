import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * README says Node.js 20 is all you need, so the AWS SDK's notice that its 2027 releases need
 * Node 22 must not reach the operator's terminal. A fresh process each time: the SDK prints the
 * notice once per process, so a test inside vitest's worker could pass by luck.
 */
const run = promisify(execFile);
const script = `
const { createS3DocumentStore } = await import('./src/integrations/documents/s3DocumentStore.ts');
const { auditAnchorSink } = await import('./src/app/platformKeys.ts');
createS3DocumentStore({ region: 'eu-west-2', endpoint: 'http://127.0.0.1:1', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' });
auditAnchorSink({ audit: { anchorS3Bucket: 'anchors', anchorS3Prefix: '' }, s3: { endpoint: 'http://127.0.0.1:1', region: 'eu-west-2' } });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log('built');
`;

const stderrOf = async (env: Record<string, string | undefined>) => {
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      env: childEnv,
    },
  );
  expect(stdout).toContain('built');
  return stderr;
};

describe('the AWS SDK on Node 20', () => {
  it('builds S3 clients without printing the SDK’s Node-version notice', async () => {
    const stderr = await stderrOf({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined });
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|require node >=22/);
  }, 60_000);

  it('leaves the switch to the operator when they set it', async () => {
    if (Number(process.versions.node.split('.')[0]) >= 22) return; // the SDK is silent on 22+ anyway
    const stderr = await stderrOf({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
    expect(stderr).toMatch(/NodeVersionSupportWarning/);
  }, 60_000);
});
