import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { projectRoot } from '../../platform/paths.js';
import { htmlSecurityHeaders, setHtmlSecurityHeaders } from './securityHeaders.js';

export type WebAppOptions = {
  /** The built front end; `web/dist` of the project unless given. */
  root?: string;
  /** The window's title until the app names the page: the pharmacy's brand. */
  title?: string;
};

export const DEFAULT_WEB_ROOT = join(projectRoot, 'web', 'dist');

/** Paths the server owns: never answered with the app, so a mistyped API call gets a real 404. */
const SERVER_PATHS = /^\/(?:api|webhook)(?:\/|$)|^\/docs/;

/**
 * Bundler output named by content hash (`assets/index-3f9a1c2b.js`): safe to cache for good. Files
 * copied as they are (favicon, robots.txt) sit outside assets/ and are revalidated.
 */
const HASHED = /^assets\/(?:.+\/)?[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export const cacheControlFor = (relativePath: string): string =>
  HASHED.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pharmacy console</title></head>
<body><h1>The web app is not built</h1>
<p>The web app is not built: run <code>npm run build</code> and restart the server.</p></body></html>
`;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!);

const acceptsHtml = (request: FastifyRequest) =>
  /\btext\/html\b|\bapplication\/xhtml\+xml\b/.test(request.headers.accept ?? '');

/**
 * Serves the single-page app: hashed assets cached for a year, index.html revalidated on every
 * load (so a deploy shows at once), and any other page address a browser asks for answered with
 * index.html for the client-side router. API, webhook and docs paths are left to their own 404.
 */
export const webAppRoutes: FastifyPluginAsync<WebAppOptions> = async (app, options) => {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  const built = existsSync(join(root, 'index.html'));

  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      // One route per file found at start: anything else falls through to the app route below.
      wildcard: false,
      index: false,
      globIgnore: ['index.html'],
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader('cache-control', cacheControlFor(relative(root, path).split(sep).join('/')));
        res.setHeader('x-content-type-options', 'nosniff');
        if (path.endsWith('.html')) setHtmlSecurityHeaders(res, undefined);
      },
    });
  }

  // With a title, index.html is read once and served with it (a deploy restarts the server).
  const titled =
    built && options.title !== undefined
      ? readFileSync(join(root, 'index.html'), 'utf8').replace(
          /<title>[^<]*<\/title>/,
          `<title>${escapeHtml(options.title)}</title>`,
        )
      : null;

  const sendApp = (reply: FastifyReply) => {
    htmlSecurityHeaders(reply).header('cache-control', 'no-cache');
    if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    if (titled !== null) return reply.type('text/html; charset=utf-8').send(titled);
    // sendFile's own headers would mark it cacheable: index.html must always be revalidated.
    return reply.sendFile('index.html', { cacheControl: false });
  };

  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_request, reply) => sendApp(reply));
  app.get('/*', hidden, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (SERVER_PATHS.test(path) || !acceptsHtml(request)) return reply.callNotFound();
    return sendApp(reply);
  });
};
