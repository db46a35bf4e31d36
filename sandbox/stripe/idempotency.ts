import { StripeApiError } from './apiError.js';

/** What an API route answers: the status and the JSON body. */
export type ApiAnswer = { status: number; body: unknown };

type Entry = { state: 'running' } | { state: 'done'; fingerprint: string; answer: ApiAnswer };

/** JSON with sorted keys, so the same parameters in another order count as the same request. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, node: unknown) =>
    node !== null && typeof node === 'object' && !Array.isArray(node)
      ? Object.fromEntries(Object.entries(node).sort(([a], [b]) => a.localeCompare(b)))
      : node,
  );

const answerOf = async (execute: () => unknown): Promise<ApiAnswer & { store: boolean }> => {
  try {
    // A copy: a replay answers what the first request saw, not the object as it is now.
    return { status: 200, body: structuredClone(await execute()), store: true };
  } catch (error) {
    if (error instanceof StripeApiError) {
      return { status: error.status, body: { error: error.body }, store: error.replayable };
    }
    throw error;
  }
};

/**
 * Stripe's `Idempotency-Key` semantics for POSTs: the first outcome is kept (errors included once
 * the request started executing) and replayed to any retry with the same key and parameters; the
 * same key with other parameters is a 400 `idempotency_error`; a retry racing the first is a 409.
 * Keys are scoped to the API key, as Stripe scopes them to the account.
 */
export const createIdempotencyStore = () => {
  const entries = new Map<string, Entry>();
  return {
    async run(
      request: { apiKey: string; key: string | undefined; method: string; path: string; params: unknown },
      execute: () => unknown,
    ): Promise<ApiAnswer & { replayed: boolean }> {
      if (request.method !== 'POST' || !request.key) return { ...(await answerOf(execute)), replayed: false };
      const id = `${request.apiKey}\u0000${request.key}`;
      const fingerprint = `${request.method} ${request.path} ${canonical(request.params)}`;
      const entry = entries.get(id);
      if (entry?.state === 'running') {
        throw new StripeApiError(
          409,
          {
            type: 'invalid_request_error',
            code: 'idempotency_key_in_use',
            message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${request.key}. Please try again later.`,
          },
          false,
        );
      }
      if (entry?.state === 'done') {
        if (entry.fingerprint !== fingerprint) {
          throw new StripeApiError(
            400,
            {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${request.key}' if you meant to execute a different request.`,
            },
            false,
          );
        }
        return { ...entry.answer, replayed: true };
      }
      entries.set(id, { state: 'running' });
      try {
        const { store, ...answer } = await answerOf(execute);
        if (store) entries.set(id, { state: 'done', fingerprint, answer });
        else entries.delete(id);
        return { ...answer, replayed: false };
      } catch (error) {
        entries.delete(id);
        throw error;
      }
    },
    /** Stripe forgets keys after 24 hours: this stands for that day passing. */
    forgetAll(): void {
      entries.clear();
    },
  };
};

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
