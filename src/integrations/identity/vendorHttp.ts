/**
 * One JSON-over-HTTP call to a vendor, with the platform's error contract (see ../errors.ts):
 * connection refused, timeouts, 5xx, 408 and 429 may pass later → VendorUnavailableError; any
 * other 4xx is the vendor refusing the request → VendorRejectedError; a 2xx we cannot read means
 * the vendor changed under us, which is retried and shows up as an incident.
 *
 * Shared by the UK adapters (identity, prescribing, PMR, dispatch). It lives here, with the first
 * of them in the flow, only because no shared integrations folder was open to this work.
 */
import type { z } from 'zod';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';

export type VendorHttpConfig = {
  /** The `vendor` on every error, e.g. `idu`. */
  vendor: string;
  /** How messages name the vendor, e.g. `LexisNexis IDU`. */
  label: string;
  baseUrl: string;
  timeoutMs: number;
  /** Sent on every call: credentials, API version. */
  headers: Record<string, string>;
  /** Reads the vendor's error body into a code and message, when it is in the vendor's shape. */
  readError: (body: unknown) => { code: string; message: string } | undefined;
};

export type VendorRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Relative to the base URL, e.g. `api/v1/searches`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
};

export type VendorHttp = {
  json<Schema extends z.ZodType>(request: VendorRequest, schema: Schema): Promise<z.output<Schema>>;
  bytes(request: VendorRequest): Promise<{ body: Buffer; contentType: string }>;
};

const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const createVendorHttp = (config: VendorHttpConfig): VendorHttp => {
  const base = config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`;

  /** Sends the request; answers a 2xx response, throws the platform's errors for anything else. */
  const exchange = async (request: VendorRequest): Promise<Response> => {
    const what = `${request.method} /${request.path}`;
    let response: Response;
    try {
      response = await fetch(new URL(request.path, base), {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...config.headers,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const reason = timedOut ? `timed out after ${config.timeoutMs} ms` : 'unreachable';
      throw new VendorUnavailableError(
        config.vendor,
        `${config.label} ${reason} (${what}): ${(error as Error).message}`,
        error,
      );
    }
    if (response.ok) return response;

    let body: unknown;
    try {
      body = parseBody(await response.text());
    } catch (error) {
      body = `unreadable body: ${(error as Error).message}`;
    }
    const status = response.status;
    if (status >= 500 || status === 408 || status === 429) {
      throw new VendorUnavailableError(config.vendor, `${config.label} answered ${status} (${what})`, body);
    }
    const known = config.readError(body);
    throw new VendorRejectedError(
      config.vendor,
      known?.code ?? `http_${status}`,
      `${config.label} refused ${what} (${status}): ${known?.message ?? 'no reason given'}`,
      { status, body },
    );
  };

  /** A body cut off mid-stream is the network failing, not the vendor deciding. */
  const read = async <T>(request: VendorRequest, consume: () => Promise<T>): Promise<T> => {
    try {
      return await consume();
    } catch (error) {
      throw new VendorUnavailableError(
        config.vendor,
        `${config.label} response broke off (${request.method} /${request.path}): ${(error as Error).message}`,
        error,
      );
    }
  };

  return {
    async json(request, schema) {
      const response = await exchange(request);
      const body = parseBody(await read(request, () => response.text()));
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new VendorUnavailableError(
          config.vendor,
          `${config.label} answered ${request.method} /${request.path} with a body we cannot read: ${parsed.error.message}`,
          body,
        );
      }
      return parsed.data;
    },
    async bytes(request) {
      const response = await exchange(request);
      const body = Buffer.from(await read(request, () => response.arrayBuffer()));
      return { body, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    },
  };
};
