// `npm run demo -- --orders N`: realistic NewRx messages (some invalid) driven through the public API
// by a simulated ops team and patients, to completed; a progress bar and a summary at the end.
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { runDemo } from './run.js';

const program = new Command()
  .name('demo')
  .description('generate NewRx orders and drive them through the platform to completed')
  .option('-o, --orders <n>', 'how many orders', (v) => Number.parseInt(v, 10), 20)
  .option('-c, --concurrency <n>', 'orders in flight at once', (v) => Number.parseInt(v, 10), 8)
  .option(
    '--consultations <n>',
    'UK consultations (POM and P) driven after the orders',
    (v) => Number.parseInt(v, 10),
    4,
  )
  .option('--keep', 'keep the demo database afterwards (it is dropped by default)', false)
  .parse();

const { orders, concurrency, keep, consultations } = program.opts<{
  orders: number;
  concurrency: number;
  keep: boolean;
  consultations: number;
}>();

const main = async () => {
  const bar = new cliProgress.SingleBar(
    { format: 'orders [{bar}] {value}/{total} | {last}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(orders, 0, { last: 'starting' });
  const report = await runDemo({
    orders,
    concurrency,
    keep,
    consultations,
    onProgress: (done, outcome) =>
      bar.update(done, {
        last: outcome instanceof Error ? 'failed' : `${outcome.orderId} ${outcome.finalStatus}`,
      }),
  });
  bar.stop();
  console.log(
    `\n${report.orders} orders in ${report.seconds.toFixed(1)} s: ${report.ordersPerSecond.toFixed(2)} orders/s`,
  );
  for (const [status, count] of Object.entries(report.byStatus).sort())
    console.log(`  ${status.padEnd(12)} ${count}`);
  if (consultations > 0) {
    console.log(`${consultations} UK consultations:`);
    for (const [status, count] of Object.entries(report.consultations).sort())
      console.log(`  ${status.padEnd(12)} ${count}`);
  }
  for (const failure of report.failures.slice(0, 5)) console.log(`  failure: ${failure}`);
  process.exitCode = report.failures.length > 0 ? 1 : 0;
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
