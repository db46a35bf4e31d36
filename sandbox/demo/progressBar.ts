import { Writable } from 'node:stream';
import { format } from 'node:util';
import cliProgress from 'cli-progress';

/**
 * The demo's progress bar, which output printed meanwhile cannot break: the platform's warnings
 * (its log stream), `console.warn` and `console.error` are written above the bar as whole lines,
 * and the bar is drawn again below them, instead of being split mid-line.
 */
export const demoProgressBar = (total: number, stream: NodeJS.WritableStream = process.stderr) => {
  const bars = new cliProgress.MultiBar(
    {
      format: 'orders [{bar}] {value}/{total} | {last}',
      hideCursor: true,
      stream: stream as NodeJS.WriteStream,
    },
    cliProgress.Presets.shades_classic,
  );
  const above = (text: string) => bars.log(text.endsWith('\n') ? text : `${text}\n`);
  const bar = bars.create(total, 0, { last: 'starting' });
  const saved = { warn: console.warn, error: console.error };
  console.warn = (...args: unknown[]) => above(format(...args));
  console.error = (...args: unknown[]) => above(format(...args));
  return {
    update: (done: number, last: string) => bar.update(done, { last }),
    /** Give the platform this as its log stream. */
    logStream: new Writable({
      write(chunk, _encoding, done) {
        above(String(chunk));
        done();
      },
    }),
    stop: () => {
      bars.update(); // what was printed since the last redraw
      bars.stop();
      console.warn = saved.warn;
      console.error = saved.error;
    },
  };
};
