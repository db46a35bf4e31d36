import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where the gauges read from at scrape time: the database, never a copy kept in memory. */
export type MetricsSource = {
  subscriptionLags(): Promise<{ subscriptionId: string; events: number; seconds: number }[]>;
  backlog(): Promise<{
    openIncidents: Record<string, number>;
    parkedEvents: number;
    timersDue: number;
  }>;
};

export type Metrics = ReturnType<typeof createMetrics>;

type Reading = {
  lags: Awaited<ReturnType<MetricsSource['subscriptionLags']>>;
  backlog: Awaited<ReturnType<MetricsSource['backlog']>>;
};

const readSource = async (source: MetricsSource | undefined): Promise<Reading | undefined> =>
  source && { lags: await source.subscriptionLags(), backlog: await source.backlog() };

/**
 * The platform's Prometheus metrics, one registry per platform (tests run several side by side).
 * Counters count what this process did; gauges are read from the database when scraped, so every
 * replica reports the same backlog. Labels are route templates, names and outcomes: never an id.
 */
export const createMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const appends = new Counter({
    name: 'eventstore_appends_total',
    help: 'Appends committed to the event store, by stream category',
    labelNames: ['category'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'process_deliveries_total',
    help: 'Events delivered to process managers, by process manager and outcome (ok, vendor_unavailable, vendor_rejected, failed)',
    labelNames: ['process', 'outcome', 'vendor'] as const,
    registers: [registry],
  });
  let source: MetricsSource | undefined;
  // A scrape collects every metric at once: the gauges share one reading of the database per scrape.
  let reading: Promise<Reading | undefined> | undefined;
  const read = () => {
    reading ??= readSource(source).finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const gauge = <L extends string>(
    config: { name: string; help: string; labelNames?: readonly L[] },
    fill: (gauge: Gauge<L>, reading: Reading) => void,
  ) =>
    new Gauge<L>({
      ...config,
      registers: [registry],
      async collect() {
        const current = await read();
        this.reset();
        if (current) fill(this, current);
      },
    });
  gauge(
    {
      name: 'subscription_lag_events',
      help: 'Events committed after a subscription checkpoint (a place moved only by events it does not read is stored every 2 s)',
      labelNames: ['subscription'],
    },
    (g, { lags }) => {
      for (const lag of lags) g.set({ subscription: lag.subscriptionId }, lag.events);
    },
  );
  gauge(
    {
      name: 'subscription_lag_seconds',
      help: 'Age of the oldest event a subscription has not handled (0 when caught up)',
      labelNames: ['subscription'],
    },
    (g, { lags }) => {
      for (const lag of lags) g.set({ subscription: lag.subscriptionId }, lag.seconds);
    },
  );
  gauge(
    {
      name: 'integration_incidents_open',
      help: 'Vendor calls waiting on a retry or flagged for manual handling, by state',
      labelNames: ['state'],
    },
    (g, { backlog }) => {
      for (const [state, count] of Object.entries(backlog.openIncidents)) g.set({ state }, count);
    },
  );
  gauge({ name: 'parked_events', help: 'Events parked after repeated failures' }, (g, { backlog }) =>
    g.set(backlog.parkedEvents),
  );
  gauge({ name: 'timers_due', help: 'Pending timers whose time has come' }, (g, { backlog }) =>
    g.set(backlog.timersDue),
  );
  return {
    registry,
    httpDuration,
    appends,
    deliveries,
    /** Points the gauges at the database once it is open. */
    readFrom(next: MetricsSource) {
      source = next;
    },
  };
};
