import { ApiError, type Problem, toProblem } from '../api/problem.js';
import type { ConsultationActionResult } from './types.js';

/**
 * The patient's key to one consultation. It arrives once (from the start of the consultation, or in
 * an e-mailed link, which the page then removes from the address bar) and is kept for this tab
 * only, in sessionStorage; every request carries it in a header, never in a URL.
 */
const TOKEN_HEADER = 'x-consultation-token';
const storageKey = (consultationId: string) => `consultation-token:${consultationId}`;
const memory = new Map<string, string>();

export const rememberToken = (consultationId: string, token: string) => {
  try {
    sessionStorage.setItem(storageKey(consultationId), token);
  } catch {
    // Storage refused (private mode): the key lives as long as this page.
  }
  memory.set(consultationId, token);
};

export const tokenFor = (consultationId: string): string | null => {
  try {
    return sessionStorage.getItem(storageKey(consultationId)) ?? memory.get(consultationId) ?? null;
  } catch {
    return memory.get(consultationId) ?? null;
  }
};

/** A refusal with whatever the domain attached (e.g. which answers need attention). */
export class ConsultationApiError extends ApiError {
  readonly details: unknown;
  constructor(problem: Problem, details: unknown) {
    super(problem);
    this.details = details;
  }
}

const readBody = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

type Options = {
  body?: unknown;
  signal?: AbortSignal;
  token?: string | null;
  /** Makes a request safe to repeat: the server answers a repeat as it answered the first. */
  idempotencyKey?: string;
};

/** JSON in, JSON out; the consultation's key in its header; a non-2xx answer throws. */
export const patientRequest = async <T>(method: string, path: string, options: Options = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers[TOKEN_HEADER] = options.token;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      title: 'Network error',
      detail: 'The server could not be reached. Check the connection.',
    });
  }
  const body = await readBody(response);
  if (!response.ok)
    throw new ConsultationApiError(
      toProblem(response.status, response.statusText, body),
      (body as { details?: unknown } | undefined)?.details,
    );
  return body as T;
};

export const consultationPath = (consultationId: string, rest = '') =>
  `/api/consultations/${encodeURIComponent(consultationId)}${rest}`;

/** What the server accepts for a photo ID; it judges the bytes, this only saves a wasted upload. */
export const ID_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const MAX_ID_BYTES = 10 * 1024 * 1024;

export const idFileProblem = (file: { type: string; size: number }) =>
  !(ID_TYPES as readonly string[]).includes(file.type)
    ? 'Choose a JPEG or PNG photo, or a PDF, of your ID.'
    : file.size > MAX_ID_BYTES
      ? 'That file is larger than 10 MB. Choose a smaller photo.'
      : null;

/** The file itself as the body, with XMLHttpRequest for its upload progress (0 to 1). */
export const uploadIdDocument = (
  consultationId: string,
  token: string,
  documentType: 'passport' | 'driving_licence',
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ConsultationActionResult> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', consultationPath(consultationId, `/id-document?type=${documentType}`));
    xhr.setRequestHeader(TOKEN_HEADER, token);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as ConsultationActionResult);
      } else reject(new ApiError(toProblem(xhr.status, xhr.statusText, body)));
    };
    xhr.onerror = () =>
      reject(
        new ApiError({ status: 0, title: 'Upload failed', detail: 'The connection was lost. Try again.' }),
      );
    xhr.send(file);
  });
