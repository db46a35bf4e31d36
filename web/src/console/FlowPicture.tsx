import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { OrderFlow } from '../../../src/projections/orders/orderFlow.js';
import type { OrderStatus } from '../api/types.js';
import { formatDuration, statusLabel } from '../ui/format.js';
import { displayTimeZone, formatTime } from '../ui/zone.js';

export type { OrderFlow };

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const ACCENT = '#1f5fa8';
const OK = '#2e7d32';
const WARN = '#a15c00';

/** One chart on one canvas, updated in place when its data changes (no flicker on live refreshes). */
const BarChart = ({
  label,
  config,
  onBarClick,
  tall = false,
}: {
  label: string;
  config: ChartConfiguration<'bar'>;
  onBarClick?: (index: number) => void;
  tall?: boolean;
}) => {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const click = useRef(onBarClick);
  click.current = onBarClick;

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; data flows in below.
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      ...config,
      options: {
        ...config.options,
        onClick: (_event, elements) => {
          const first = elements[0];
          if (first) click.current?.(first.index);
        },
      },
    });
    return () => chart.current?.destroy();
  }, []);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data = config.data;
    current.update('none');
  }, [config.data]);

  return (
    <div className={tall ? 'chart-box tall' : 'chart-box'}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
};

const common = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
} as const;

/**
 * The flow at a glance: the funnel (orders per status; a bar filters the list), arrivals and
 * completions per hour, and how long the orders now in each status have waited there. The numbers
 * are in a table beside the charts, for screen readers and for copying.
 */
export const FlowPicture = ({
  flow,
  onStatus,
}: {
  flow: OrderFlow;
  onStatus: (status: OrderStatus) => void;
}) => {
  const statuses = Object.keys(flow.counts) as OrderStatus[];
  const total = statuses.reduce((sum, s) => sum + flow.counts[s], 0);
  const received = flow.throughput.reduce((sum, h) => sum + h.received, 0);
  const completed = flow.throughput.reduce((sum, h) => sum + h.completed, 0);
  const funnelData = useMemoData(JSON.stringify(flow.counts), () => ({
    labels: statuses.map(statusLabel),
    datasets: [{ label: 'Orders', data: statuses.map((s) => flow.counts[s]), backgroundColor: ACCENT }],
  }));
  const throughputData = useMemoData(JSON.stringify(flow.throughput), () => ({
    labels: flow.throughput.map((h) => formatTime(h.hourStart)),
    datasets: [
      { label: 'Received', data: flow.throughput.map((h) => h.received), backgroundColor: ACCENT },
      { label: 'Completed', data: flow.throughput.map((h) => h.completed), backgroundColor: OK },
    ],
  }));
  const waitData = useMemoData(JSON.stringify(flow.timeInStatus), () => ({
    labels: flow.timeInStatus.map((t) => statusLabel(t.status)),
    datasets: [
      { label: 'Median (h)', data: flow.timeInStatus.map((t) => t.p50Minutes / 60), backgroundColor: ACCENT },
      {
        label: '90th percentile (h)',
        data: flow.timeInStatus.map((t) => t.p90Minutes / 60),
        backgroundColor: WARN,
      },
    ],
  }));

  return (
    <section aria-labelledby="flow-heading" className="card flow">
      <h2 id="flow-heading">The flow</h2>
      <p className="flow-totals">
        <span>
          All orders <strong data-count="all">{total}</strong>
        </span>
        <span>
          Received in 24 h <strong data-flow="received-24h">{received}</strong>
        </span>
        <span>
          Completed in 24 h <strong data-flow="completed-24h">{completed}</strong>
        </span>
      </p>
      <div className="flow-charts">
        <figure data-chart="funnel" data-values={JSON.stringify(funnelData.datasets[0]!.data)}>
          <figcaption>Orders per status (select a bar to filter)</figcaption>
          <BarChart
            label="Orders per status"
            config={{
              type: 'bar',
              data: funnelData,
              options: {
                ...common,
                indexAxis: 'y',
                // Every status named: skipping every other label would put bars beside the wrong name.
                scales: {
                  y: { ticks: { autoSkip: false, font: { size: 11 } } },
                  x: { ticks: { precision: 0 } },
                },
                plugins: { legend: { display: false } },
              },
            }}
            onBarClick={(index) => onStatus(statuses[index]!)}
            tall
          />
        </figure>
        <figure
          data-chart="throughput"
          data-values={JSON.stringify(throughputData.datasets.map((d) => d.data))}
        >
          <figcaption>Received and completed per hour, last 24 h ({displayTimeZone()})</figcaption>
          <BarChart
            label="Orders received and completed per hour"
            config={{ type: 'bar', data: throughputData, options: common }}
          />
        </figure>
        <figure data-chart="time-in-status">
          <figcaption>Time in current status, orders now in it</figcaption>
          <BarChart
            label="Time in status, median and 90th percentile"
            config={{ type: 'bar', data: waitData, options: { ...common, indexAxis: 'y' } }}
          />
        </figure>
      </div>
      <details>
        <summary>Numbers</summary>
        <table className="flow-table">
          <caption className="visually-hidden">Orders per status and time in status</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Orders</th>
              <th scope="col">Median wait</th>
              <th scope="col">90th percentile</th>
            </tr>
          </thead>
          <tbody>
            {statuses.map((s) => {
              const wait = flow.timeInStatus.find((t) => t.status === s);
              return (
                <tr key={s}>
                  <th scope="row">
                    <button type="button" className="link-button" onClick={() => onStatus(s)}>
                      {statusLabel(s)}
                    </button>
                  </th>
                  <td data-count={s}>{flow.counts[s]}</td>
                  <td>{wait ? formatDuration(wait.p50Minutes * 60_000) : '—'}</td>
                  <td>{wait ? formatDuration(wait.p90Minutes * 60_000) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </section>
  );
};

/** Keeps one data object while its key is unchanged, so the chart only redraws on new numbers. */
const useMemoData = <T,>(key: string, make: () => T): T => {
  const memo = useRef<{ key: string; value: T } | null>(null);
  if (memo.current?.key !== key) memo.current = { key, value: make() };
  return memo.current.value;
};
