import { ApiError, toProblem } from './problem.js';

/**
 * The session's CSRF token lives in memory only: the session cookie is httpOnly, and a page that can
 * read this token is one of ours. It is fetched again from /api/auth/me after a reload.
 */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

let onUnauthorized: (() => void) | null = null;
/** Called when a staff request finds the session gone (expired, revoked): the app asks to sign in again. */
export const setUnauthorizedHandler = (handler: (() => void) | null) => {
  onUnauthorized = handler;
};

/** For other channels (the live socket) that learn the session ended. */
export const sessionEnded = () => onUnauthorized?.();

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type RequestOptions = { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal };

const readBody = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** JSON in, JSON out, same origin, cookie credentials; a non-2xx answer throws an ApiError. */
export const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    // Patient data stays out of the browser's cache, and one URL answers differently per token header.
    cache: 'no-store',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const body = await readBody(response);
  if (response.status === 401 && !path.startsWith('/api/auth/') && !path.startsWith('/api/patient/'))
    onUnauthorized?.();
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, body));
  return body as T;
};

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
};

/** Sends a file's text as is (e.g. text/csv), for imports; answers like `request`. */
export const upload = async <T>(path: string, text: string, contentType: string): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: text,
  });
  const body = await readBody(response);
  if (response.status === 401) onUnauthorized?.();
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, body));
  return body as T;
};

/** `?a=1&b=x`, skipping empty values. */
export const query = (params: Record<string, string | number | null | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};
