import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveOrder } from '../../sandbox/demo/driver.js';
import { generateNewRx } from '../../sandbox/demo/generate.js';
import { inProcessVendors } from '../../sandbox/demo/vendors.js';
import { currentTraceparent, startTracing, type Tracing, tracingOn } from '../../src/platform/tracing.js';
import { apiClient, type Harness, startHarness } from '../support/platformHarness.js';

// One NewRx from intake to its delivery, traced with an in-memory exporter: the order is one trace,
// across the sender's request, the patient's, the webhooks', the process managers and the vendors.

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
  // Tracing is per process: stop it, so the next file in this worker runs untraced.
  await tracing?.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The trace as an indented tree, oldest first at each level. */
const tree = (spans: ReadableSpan[]) => {
  const children = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  for (const span of spans) {
    const parent = ids.has(parentOf(span) ?? '') ? parentOf(span) : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const level = (children.get(parent) ?? []).sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    for (const span of level) {
      lines.push(`${'  '.repeat(depth)}${span.name}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
};

describe('tracing', () => {
  it('is off until started: events carry no trace context', async () => {
    expect(tracingOn()).toBe(false);
    expect(currentTraceparent()).toBeUndefined();
    expect((await apiClient(harness.url).get('/api/health')).status).toBe(200);
    const { rows } = await harness.db.pool.query(
      "SELECT count(*)::int AS n FROM events WHERE metadata ? 'traceparent'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('follows one NewRx from intake to completed as one trace: HTTP, commands, appends, process managers, vendor calls', async () => {
    tracing = startTracing({ exporter });
    const api = apiClient(harness.url);
    const ops = await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const outcome = await driveOrder(
      {
        url: harness.url,
        intakeKey: harness.composition.intakeApiKey,
        opsToken: ops.token,
        vendors: inProcessVendors(harness.standIns),
        pollMs: 100,
      },
      generateNewRx(0, { now: new Date(), runId: 'traced' }),
    );
    expect(outcome.finalStatus).toBe('completed');
    await harness.composition.platform.drain(20_000);

    const spans = exporter.getFinishedSpans();
    const intake = spans.find((s) => s.name === 'HTTP POST /api/intake');
    expect(intake).toBeDefined();
    const traceId = intake!.spanContext().traceId;
    const order = spans.filter((s) => s.spanContext().traceId === traceId);
    const names = new Set(order.map((s) => s.name));
    console.log(`trace ${traceId}: ${order.length} spans\n${tree(order).join('\n')}`);

    // From the sender's request to the order's end, in the order's one trace.
    for (const name of [
      'command ReceivePrescription',
      'append order',
      'command CompleteEnrollment',
      'command SelectPharmacy',
      'command RecordPayment',
      'command RecordTracking',
    ]) {
      expect(names, name).toContain(name);
    }
    expect([...names].some((n) => n.startsWith('process '))).toBe(true);
    expect([...names].some((n) => n.startsWith('vendor stripe.'))).toBe(true);
    expect([...names].some((n) => n.startsWith('vendor shippo.'))).toBe(true);
    expect([...names].some((n) => n.startsWith('vendor payer.'))).toBe(true);
    // A command a later request issued joins the order's trace and links that request's span.
    const enrollment = order.find((s) => s.name === 'command CompleteEnrollment')!;
    expect(enrollment.links.length).toBe(1);
    const request = spans.find((s) => s.spanContext().spanId === enrollment.links[0]!.context.spanId);
    expect(request?.name).toMatch(/^HTTP POST /);
  });
});
