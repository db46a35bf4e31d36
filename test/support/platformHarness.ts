import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type LocalPlatform, startLocalPlatform } from '../../sandbox/inProcess.js';
import type { StandIns } from '../../sandbox/standIns.js';
import type { Composition } from '../../src/app/compose.js';
import type { Clock } from '../../src/platform/clock.js';
import { projectRoot } from '../../src/platform/paths.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export type Harness = {
  url: string;
  composition: Composition;
  http: FastifyInstance;
  standIns: StandIns;
  db: TestDatabase;
  /** Password of each dev user by role. */
  passwords: Record<string, string>;
  close(): Promise<void>;
};

/**
 * The whole platform in-process, as `npm start` runs it: a fresh database, every vendor stand-in,
 * the real adapters and SDKs pointed at them, the HTTP server listening on a free port.
 */
export const startHarness = async (
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    seed?: boolean;
    logStream?: NodeJS.WritableStream;
    productionTimings?: boolean;
  } = {},
): Promise<Harness> => {
  const db = await createTestDatabase();
  const local: LocalPlatform = await startLocalPlatform({ databaseUrl: db.connectionString, ...options });
  return {
    url: local.url,
    composition: local.composition,
    http: local.composition.http,
    standIns: local.standIns,
    db,
    passwords: local.passwords,
    async close() {
      await local.close();
      await db.drop();
    },
  };
};

export const sampleNewRx = (
  name: 'newrx-specialty-valid.xml' | 'newrx-invalid.xml' = 'newrx-specialty-valid.xml',
) => readFile(join(projectRoot, 'test', 'fixtures', 'ncpdp', name), 'utf8');

/** A NewRx with its own MessageID (and optionally other changes), from the valid sample. */
export const newRxWith = async (messageId: string, replace: Record<string, string> = {}) => {
  let xml = (await sampleNewRx()).replace(
    /<MessageID>[^<]*<\/MessageID>/,
    `<MessageID>${messageId}</MessageID>`,
  );
  for (const [from, to] of Object.entries(replace)) xml = xml.replace(from, to);
  return xml;
};

/** A tiny valid PNG (1×1 pixel) for card uploads. */
export const tinyPng = () =>
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );

/** A small HTTP client for the API: staff bearer sign-in, JSON in and out. */
export const apiClient = (baseUrl: string) => {
  let bearer: string | undefined;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && !(body instanceof Buffer) && typeof body !== 'string'
          ? { 'content-type': 'application/json' }
          : {}),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
      body:
        body === undefined
          ? undefined
          : body instanceof Buffer || typeof body === 'string'
            ? body
            : JSON.stringify(body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read API answers loosely and assert on them
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, headers: response.headers, body: json };
  };
  return {
    call,
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, body ?? {}, headers),
    put: (path: string, body: Buffer, headers?: Record<string, string>) => call('PUT', path, body, headers),
    async signIn(email: string, password: string) {
      const result = await call('POST', '/api/auth/login', { email, password });
      if (result.status !== 200)
        throw new Error(`sign-in failed: ${result.status} ${JSON.stringify(result.body)}`);
      bearer = result.body.token;
      return result.body;
    },
    signOut() {
      bearer = undefined;
    },
  };
};

export const eventually = async <T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    last = value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
