import { createServer, type Server } from 'node:http';

/** One POST as the receiver got it: the exact bytes matter, signatures are over them. */
export type ReceivedWebhook = {
  rawBody: Buffer;
  signature: string | undefined;
  eventId: string;
  type: string;
};

/**
 * A tiny HTTP endpoint standing in for the platform's webhook route: it keeps every delivery and
 * can be told to answer 500 to the next few, to exercise the sender's retries.
 */
export const startWebhookReceiver = async () => {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        response.writeHead(500).end('receiver told to fail');
        return;
      }
      const rawBody = Buffer.concat(chunks);
      const { id, type } = JSON.parse(rawBody.toString('utf8')) as { id: string; type: string };
      const signature = request.headers['stripe-signature'];
      received.push({
        rawBody,
        signature: typeof signature === 'string' ? signature : undefined,
        eventId: id,
        type,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received: (): readonly ReceivedWebhook[] => [...received],
    failNext(count: number) {
      failures = count;
    },
    /** Polls until a delivery matches, so tests do not depend on delivery timing. */
    async waitFor(match: (webhook: ReceivedWebhook) => boolean, timeoutMs = 5_000): Promise<ReceivedWebhook> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = received.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('No matching webhook arrived in time');
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
