import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry traces across HTTP → command → append → process manager → vendor call. Off unless
 * started: without a provider the API hands out spans that record nothing and events carry no
 * trace context, so an untraced platform pays nothing for it.
 *
 * An order (or consultation) is one trace: its first event's trace context is the parent of every
 * later command on its stream, whichever request or process issued it (that request's own span is
 * linked), and each event carries the context of the append that wrote it (`traceparent` in its
 * metadata), from which its process managers' deliveries continue.
 */

const TRACER = 'pharmacy-order-platform';

let provider: BasicTracerProvider | undefined;

export type Tracing = { shutdown(): Promise<void> };

/**
 * Starts tracing for this process: spans go to `exporter`, or over OTLP/HTTP to `otlpUrl` (the
 * collector's traces endpoint, e.g. http://collector:4318/v1/traces). Idempotent per process.
 */
export const startTracing = (options: { exporter?: SpanExporter; otlpUrl?: string }): Tracing => {
  if (provider) return { shutdown: async () => {} };
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpUrl }));
  provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const started = provider;
  return {
    async shutdown() {
      await started.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      provider = undefined;
    },
  };
};

export const tracingOn = () => provider !== undefined;

const tracer = () => trace.getTracer(TRACER);

/** Runs `work` in a span (ended, with its error recorded, however `work` ends). */
export const inSpan = async <T>(
  name: string,
  options: { attributes?: Attributes; parent?: Context; links?: Link[] },
  work: (span: Span) => Promise<T>,
): Promise<T> => {
  if (!provider) return work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { attributes: options.attributes, links: options.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
};

/** A span the caller ends (for work that begins and ends in different callbacks, as a request does). */
export const openSpan = (name: string, attributes?: Attributes): { span: Span; context: Context } | null => {
  if (!provider) return null;
  const span = tracer().startSpan(name, { attributes }, context.active());
  return { span, context: trace.setSpan(context.active(), span) };
};

/** Runs `work` in the given context (a request's span), so what it starts is that span's child. */
export const withContext = <T>(ctx: Context, work: () => T): T => context.with(ctx, work);

/** The active span's W3C `traceparent`, for an event's metadata; undefined when nothing is traced. */
export const currentTraceparent = (): string | undefined => {
  if (!provider) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
};

/** The context an event's `traceparent` names, as a parent for the work it causes. */
export const contextOf = (traceparent: unknown): Context | undefined => {
  if (!provider || typeof traceparent !== 'string') return undefined;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
};

/** A link to the active span (the request or delivery a command came from). */
export const linkToActive = (): Link[] => {
  const active = trace.getActiveSpan();
  return active ? [{ context: active.spanContext() }] : [];
};

/**
 * `port` with every method call in a span named `vendor <name>.<method>` (a promise's span ends when
 * it settles; a plain answer's at once). Untraced, the port's own methods are called as they are.
 */
export const tracedPort = <T extends object>(name: string, port: T): T =>
  new Proxy(port, {
    get(target, property) {
      // Read on the port itself, so getters and private fields see their own object.
      const value = Reflect.get(target, property);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const opened = openSpan(`vendor ${name}.${property}`, { 'pharmacy.vendor': name });
        if (!opened) return value.apply(target, args);
        const fail = (error: unknown) => {
          opened.span.recordException(error as Error);
          opened.span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          opened.span.end();
          throw error;
        };
        let result: unknown;
        try {
          result = withContext(opened.context, () => value.apply(target, args));
        } catch (error) {
          return fail(error);
        }
        if (result instanceof Promise) {
          return result.then((answer) => {
            opened.span.end();
            return answer;
          }, fail);
        }
        opened.span.end();
        return result;
      };
    },
  });
