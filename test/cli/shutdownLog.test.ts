import { describe, expect, it } from 'vitest';
import { shutdownAwareLog } from '../../src/app/shutdownLog.js';

describe('the terminal on Ctrl-C', () => {
  it('reports lost connections while running, and leaves them out once stopping', () => {
    const written: string[] = [];
    const { log, stopping } = shutdownAwareLog((line) => written.push(line));
    log('lease projection:orders lost: Connection terminated unexpectedly');
    stopping();
    log('lease projection:orders lost: terminating connection due to administrator command');
    log('notifier connection lost: terminating connection due to administrator command');
    log('idle database connection lost: terminating connection due to administrator command');
    log('process manager payments failed: boom');
    expect(written).toEqual([
      'lease projection:orders lost: Connection terminated unexpectedly',
      'process manager payments failed: boom',
    ]);
  });
});
