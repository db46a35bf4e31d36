import type { FastifyInstance, FastifyRequest } from 'fastify';
import { openSpan, withContext } from '../platform/tracing.js';

const spans = new WeakMap<FastifyRequest, NonNullable<ReturnType<typeof openSpan>>['span']>();

/**
 * One span per request, named by its route template (never the URL, which can carry tokens or a
 * search for a patient), with the commands and appends it causes as children. Untraced, nothing.
 */
export const registerRequestSpans = (app: FastifyInstance) => {
  app.addHook('onRequest', (request, _reply, done) => {
    const opened = openSpan(`HTTP ${request.method} ${request.routeOptions.url ?? 'unmatched'}`, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? '',
    });
    if (!opened) return done();
    spans.set(request, opened.span);
    // The rest of the request runs in the span's context: what it starts is the span's child.
    withContext(opened.context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      span.end();
      spans.delete(request);
    }
    done();
  });
};
