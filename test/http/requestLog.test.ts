import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalLine, terminalLogStream } from '../../src/http/requestLog.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

let harness: Harness;
const lines: string[] = [];
beforeAll(async () => {
  const capture = new PassThrough();
  capture.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  harness = await startHarness({ logStream: capture, env: { LOG_LEVEL: 'info' } });
}, 120_000);
afterAll(() => harness?.close());

const records = () => lines.map((line) => JSON.parse(line) as { msg: string; level: number; ms?: number });

describe('request logs', () => {
  it('one info line per request: method, route, status, time; no pair of Fastify lines', async () => {
    const marker = `01HZZZZZZZZZZZZZZZZZZZZZZZ`;
    await fetch(`${harness.url}/api/health`);
    await fetch(`${harness.url}/api/orders/${marker}`);
    // The line is written once the answer has gone: wait for it rather than for time.
    for (let i = 0; i < 1000 && !records().some((r) => r.msg.startsWith('GET /api/orders/')); i++)
      await new Promise((resolve) => setImmediate(resolve));
    const messages = records().map((r) => r.msg);
    expect(messages.filter((m) => /^GET \/api\/health 200 \d+ms$/.test(m))).toHaveLength(1);
    // Ids appear only when id-shaped; the route template otherwise.
    expect(messages.filter((m) => m.startsWith(`GET /api/orders/${marker} 401 `))).toHaveLength(1);
    expect(messages).not.toContain('incoming request');
    expect(messages).not.toContain('request completed');
    const health = records().find((r) => r.msg.startsWith('GET /api/health'))!;
    expect(health.level).toBe(30);
  });
});

describe('the terminal under npm start', () => {
  it('shows each record as time, level and message, with an error’s type and message', () => {
    const time = Date.parse('2026-12-04T15:04:05.678Z');
    expect(
      terminalLine(JSON.stringify({ level: 30, time, msg: 'GET /api/health 200 3ms', reqId: 'x' })),
    ).toBe('15:04:05.678 INFO  GET /api/health 200 3ms');
    expect(
      terminalLine(
        JSON.stringify({
          level: 50,
          time,
          msg: 'unhandled error',
          err: { type: 'TypeError', message: 'x is undefined' },
        }),
      ),
    ).toBe('15:04:05.678 ERROR unhandled error (TypeError: x is undefined)');
    expect(terminalLine('not json')).toBe('not json');
  });

  it('rewrites records split across writes, one line each', async () => {
    const out = new PassThrough();
    const written: string[] = [];
    out.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const stream = terminalLogStream(out);
    const record = JSON.stringify({ level: 40, time: 0, msg: 'slow' });
    stream.write(record.slice(0, 10));
    stream.write(`${record.slice(10)}\n${record}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.join('')).toBe('00:00:00.000 WARN  slow\n00:00:00.000 WARN  slow\n');
  });
});
