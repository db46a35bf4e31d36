// `npm run demo -- --orders N`: realistic NewRx messages (some invalid) driven through the public API
// by a simulated ops team and patients, to completed; a progress bar and a summary at the end.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../../src/platform/paths.js';
import { demoProgressBar } from './progressBar.js';
import { moneyTable } from './reconcile.js';
import { type DemoReport, runDemo, runDemoAgainst } from './run.js';

const LOCAL_PLATFORM = 'http://127.0.0.1:3000';

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
  .option(
    '--target <url>',
    `drive a running platform through its sandbox controls (default: ${LOCAL_PLATFORM} when \`npm start\` answers there)`,
  )
  .option('--scratch', 'use a scratch database even when a platform is running', false)
  .parse();

const { orders, concurrency, keep, consultations, target, scratch } = program.opts<{
  orders: number;
  concurrency: number;
  keep: boolean;
  consultations: number;
  target?: string;
  scratch: boolean;
}>();

const hasSandbox = (url: string) =>
  fetch(`${url.replace(/\/$/, '')}/sandbox/api`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(1_000),
  })
    .then((r) => r.ok)
    .catch(() => false);

/** The dev accounts and intake key `npm start` keeps under .data/ (0600), as it printed them. */
const localCredentials = async () => {
  const dataDir = join(projectRoot, '.data');
  const accounts = JSON.parse(await readFile(join(dataDir, 'dev-credentials.json'), 'utf8')) as {
    roles: string[];
    password: string;
  }[];
  const passwords: Record<string, string> = {};
  for (const account of accounts) for (const role of account.roles) passwords[role] ??= account.password;
  const intakeKey =
    process.env.INTAKE_API_KEY ?? (await readFile(join(dataDir, 'dev-intake-key'), 'utf8')).trim();
  return { passwords, intakeKey };
};

/** The running platform to drive, if asked for or found on :3000; null for a scratch run. */
const chooseTarget = async (): Promise<string | null> => {
  if (scratch) return null;
  if (target) {
    if (!(await hasSandbox(target)))
      throw new Error(`${target} has no sandbox controls (start it with \`npm start\`, not \`cli start\`)`);
    return target.replace(/\/$/, '');
  }
  return (await hasSandbox(LOCAL_PLATFORM)) ? LOCAL_PLATFORM : null;
};

const main = async () => {
  const url = await chooseTarget();
  if (url) console.log(`Driving the platform at ${url}: watch the orders arrive on its console.`);
  const bar = demoProgressBar(orders);
  const drive = {
    orders,
    concurrency,
    consultations,
    onProgress: (done: number, outcome: { orderId: string; finalStatus: string } | Error) =>
      bar.update(done, outcome instanceof Error ? 'failed' : `${outcome.orderId} ${outcome.finalStatus}`),
  };
  const report: DemoReport = await (async () => {
    try {
      return url
        ? await runDemoAgainst({ url, ...(await localCredentials()) }, drive)
        : await runDemo({ ...drive, keep, logStream: bar.logStream });
    } finally {
      bar.stop();
    }
  })();
  console.log(
    `\n${report.orders} orders in ${report.seconds.toFixed(1)} s: ${report.ordersPerSecond.toFixed(2)} orders/s`,
  );
  for (const [status, count] of Object.entries(report.byStatus).sort())
    console.log(`  ${status.padEnd(12)} ${count}`);
  if (!report.target) {
    const { coldChain } = report;
    console.log(
      `cold-chain drugs shipped: ${coldChain.shipped} (${
        Object.entries(coldChain.byService)
          .map(([service, count]) => `${service} ${count}`)
          .join(', ') || 'none'
      }); on a service that does not keep them cold: ${coldChain.onAmbientService}`,
    );
  }
  if (consultations > 0) {
    console.log(`${consultations} UK consultations:`);
    for (const [status, count] of Object.entries(report.consultations).sort())
      console.log(`  ${status.padEnd(12)} ${count}`);
  }
  if (report.target) {
    console.log(`\nThe cases are on ${report.target}; its console and audit pages show them.`);
  } else {
    console.log("\nMoney, per case (the platform's ledger beside Stripe's):");
    for (const line of moneyTable(report.money)) console.log(`  ${line}`);
  }
  for (const failure of report.failures.slice(0, 5)) console.log(`  failure: ${failure}`);
  if (report.keptDatabase) {
    const { name, url, embedded } = report.keptDatabase;
    console.log(`\nThe demo database ${name} is kept. Open it with:`);
    console.log(`  psql '${url}'`);
    if (embedded) {
      console.log('  while `npm start` runs: the embedded PostgreSQL under .data/postgres holds it.');
    } else {
      console.log(`  See its orders on the console: DATABASE_URL='${url}' npm start`);
    }
  } else if (!report.target) {
    console.log('\nThe demo database was dropped; run with --keep to open it afterwards.');
  }
  const unreconciled = report.money.filter((r) => !r.reconciled).length;
  process.exitCode =
    report.failures.length > 0 || unreconciled > 0 || report.coldChain.onAmbientService > 0 ? 1 : 0;
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
