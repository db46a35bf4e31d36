import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRoutes } from '../../src/http/web/webAppRoutes.js';

let dist: string;
let built: FastifyInstance;
let unbuilt: FastifyInstance;
const html = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'web-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
  await writeFile(join(dist, 'assets', 'index-3f9a1c2b.js'), 'console.log(1)');
  built = Fastify();
  await built.register(webAppRoutes, { root: dist, title: 'Riverbend <Pharmacy>' });
  unbuilt = Fastify();
  await unbuilt.register(webAppRoutes, { root: join(dist, 'missing') });
});
afterAll(async () => {
  await built.close();
  await unbuilt.close();
  await rm(dist, { recursive: true, force: true });
});

describe('the web app is served from the API server', () => {
  it('answers any page address with index.html for the client-side router, with security headers', async () => {
    const page = await built.inject({ url: '/orders/01J0000000000000000000000?token=abc', headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    // The window's title is the configured brand before the app has drawn a page.
    expect(page.body).toContain('<title>Riverbend &lt;Pharmacy&gt;</title>');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('caches hashed assets for a year', async () => {
    const asset = await built.inject({ url: '/assets/index-3f9a1c2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never answers API, webhook or docs paths with the app', async () => {
    for (const url of ['/api/nope', '/webhook/nope', '/docs/nope']) {
      expect((await built.inject({ url, headers: html })).statusCode).toBe(404);
    }
  });

  it('says plainly when the app has not been built', async () => {
    const page = await unbuilt.inject({ url: '/', headers: html });
    expect(page.body).toContain('The web app is not built');
  });
});
