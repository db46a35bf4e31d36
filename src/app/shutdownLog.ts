import { Writable } from 'node:stream';

/**
 * Ctrl-C reaches the embedded PostgreSQL as well as the platform (same process group), so the
 * server closes its connections while the platform is still stopping, and every lease, the
 * notifier and idle pool clients would each report the loss. Once stopping has begun those
 * losses are expected: they are left out, and every other record still goes through.
 */
const CONNECTION_LOST = /^(lease \S+|notifier connection|idle database connection) lost\b/;

const messageOf = (line: string): string => {
  try {
    return String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
  } catch {
    return '';
  }
};

/** The log's destination `out`, passing every JSON record on except connection losses once stopping. */
export const shutdownAwareStream = (out: NodeJS.WritableStream) => {
  let stopping = false;
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (stopping && CONNECTION_LOST.test(messageOf(line))) continue;
        out.write(`${line}\n`);
      }
      done();
    },
  });
  return {
    stream,
    stopping: () => {
      stopping = true;
    },
  };
};
