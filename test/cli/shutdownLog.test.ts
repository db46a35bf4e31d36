import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { shutdownAwareStream } from '../../src/app/shutdownLog.js';
import { createLogger } from '../../src/platform/logger.js';

describe('the terminal on Ctrl-C', () => {
  it('reports lost connections while running, and leaves them out once stopping', async () => {
    const out = new PassThrough();
    const written: string[] = [];
    out.on('data', (chunk: Buffer) => written.push(...chunk.toString().split('\n').filter(Boolean)));
    const { stream, stopping } = shutdownAwareStream(out);
    const log = createLogger({ destination: stream });
    log.warn({ subscription: 'projection:orders' }, 'lease projection:orders lost');
    stopping();
    log.warn({ subscription: 'projection:orders' }, 'lease projection:orders lost');
    log.warn('notifier connection lost');
    log.warn('idle database connection lost');
    log.error('process manager payments failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.map((line) => JSON.parse(line).msg)).toEqual([
      'lease projection:orders lost',
      'process manager payments failed',
    ]);
  });
});
