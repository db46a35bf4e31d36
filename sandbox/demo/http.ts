// An API client for scripts that must outlive the platform restarting under them (the demo, the
// crash test): a request that cannot reach the server, or that the server answers 502/503, is
// tried again until a deadline; any other answer is returned as it is, for the caller to judge.

// biome-ignore lint/suspicious/noExplicitAny: scripts read API answers loosely, as a person would
export type Json = Record<string, any>;

export type Answer = { status: number; body: Json };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connection refused or reset, a socket closed mid-answer: the server is (re)starting. */
const isUnreachable = (error: unknown) =>
  error instanceof TypeError || (error as { name?: string }).name === 'AbortError';

export type ApiCaller = (
  method: string,
  path: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => Promise<Answer>;

export const tolerantApi = (baseUrl: string, options: { patienceMs?: number } = {}): ApiCaller => {
  const patience = options.patienceMs ?? 120_000;
  return async (method, path, { body, headers = {} } = {}) => {
    const deadline = Date.now() + patience;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if ((response.status === 502 || response.status === 503) && Date.now() < deadline) {
          await sleep(wait);
          continue;
        }
        let parsed: Json;
        try {
          parsed = text ? (JSON.parse(text) as Json) : {};
        } catch {
          parsed = { text };
        }
        return { status: response.status, body: parsed };
      } catch (error) {
        if (!isUnreachable(error) || Date.now() >= deadline) throw error;
        await sleep(wait);
      }
    }
  };
};

/** Raises an answer outside 2xx as an error naming the problem. */
export const ok = (answer: Answer, what: string): Json => {
  if (answer.status >= 400) {
    throw new Error(`${what} → ${answer.status} ${answer.body.title ?? ''}: ${answer.body.detail ?? ''}`);
  }
  return answer.body;
};

export const pause = sleep;
