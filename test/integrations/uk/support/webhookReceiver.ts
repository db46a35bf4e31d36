import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST exactly as it arrived: signatures are over these bytes. */
export type ReceivedWebhook = {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  json: { id: string; type: string };
};

/**
 * The platform's webhook edge reduced to recording what arrives; it can be told to answer 500 to
 * the next few deliveries, to exercise the sender's retries.
 */
export const startWebhookReceiver = async () => {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        response.writeHead(500).end('told to fail');
        return;
      }
      const rawBody = Buffer.concat(chunks);
      received.push({ rawBody, headers: request.headers, json: JSON.parse(rawBody.toString('utf8')) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received: (): readonly ReceivedWebhook[] => [...received],
    failNext(count: number) {
      failures = count;
    },
    /** Polls until `count` deliveries match, so tests do not depend on delivery timing. */
    async waitFor(match: (webhook: ReceivedWebhook) => boolean, count = 1, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`Only ${found.length} of ${count} webhooks arrived`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
