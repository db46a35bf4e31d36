import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { demoProgressBar } from '../../sandbox/demo/progressBar.js';

/** A terminal to draw on: what was written to it, without the cursor moves. */
const fakeTerminal = () => {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 });
  let written = '';
  stream.on('data', (chunk) => {
    written += String(chunk);
  });
  return { stream, lines: () => stripVTControlCharacters(written).split(/\r?\n|\r/) };
};

describe("the demo's progress bar", () => {
  it('given warnings printed while it draws, then each is a whole line above the bar, and the bar ends whole', () => {
    const terminal = fakeTerminal();
    const warn = console.warn;
    const bar = demoProgressBar(4, terminal.stream);
    bar.update(1, 'order-1 completed');
    console.warn('Stripe stand-in slow to answer');
    bar.logStream.write('{"level":40,"msg":"vendor call failed"}\n');
    bar.update(4, 'order-4 completed');
    bar.stop();
    expect(console.warn).toBe(warn);
    const lines = terminal.lines();
    expect(lines).toContain('Stripe stand-in slow to answer');
    expect(lines).toContain('{"level":40,"msg":"vendor call failed"}');
    expect(lines.filter((l) => l.startsWith('orders [')).at(-1)).toMatch(/\] 4\/4 \| order-4 completed$/);
  });
});
