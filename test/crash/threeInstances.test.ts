import { afterAll, describe, expect, it } from 'vitest';
import { driveOrder } from '../../sandbox/demo/driver.js';
import { generateNewRx } from '../../sandbox/demo/generate.js';
import { reconcileMoney } from '../../sandbox/demo/reconcile.js';
import { inProcessVendors } from '../../sandbox/demo/vendors.js';
import { type KillableCluster, killableCluster } from '../support/childPlatform.js';
import { audit, waitUntilQuiet } from '../support/crashAudit.js';
import { waitFor } from '../support/events.js';

// Three platform processes on one PostgreSQL database. Leases give each subscription (projection,
// process manager) to one holder, and the instances share them (each its fair share, on one
// connection per instance); SIGKILL the instance holding the most while orders flow through another,
// and every lease moves to a survivor: no order lost, none handled twice.

const ORDERS = 24;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: KillableCluster | undefined;
afterAll(() => cluster?.close());

/** Each process's count of held leases, by process id (a holder is named `<host>:<pid>`). */
const leasesByPid = async (c: KillableCluster) => {
  const { rows } = await c.db.pool.query<{ holder: string; n: number }>(
    'SELECT holder, count(*)::int AS n FROM subscription_leases GROUP BY holder',
  );
  return new Map(rows.map((r) => [Number(r.holder.split(':').at(-1)), r.n]));
};

/** Leases whose holder process is alive, as PostgreSQL sees them: advisory locks held now. */
const lockedLeases = async (c: KillableCluster) =>
  (
    await c.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
  ).rows[0]!.n;

describe('three instances on one database', () => {
  it(`share the work and lose nothing when the one holding the leases is killed mid-flow (${ORDERS} orders)`, async () => {
    cluster = await killableCluster(3, { PAYMENT_CHECK_MINUTES: '0.5', OUTBOX_CLAIM_SECONDS: '10' });
    const c = cluster;
    await Promise.all(c.instances.map((instance) => instance.start()));
    // The first instance up takes every lease, then hands the others theirs as they arrive.
    const pids = c.instances.map((instance) => instance.pid()!);
    let before = await leasesByPid(c);
    await waitFor(
      async () => {
        before = await leasesByPid(c);
        const counts = pids.map((pid) => before.get(pid) ?? 0);
        const share = Math.ceil(counts.reduce((sum, n) => sum + n, 0) / counts.length);
        return Math.min(...counts) > 0 && Math.max(...counts) <= share;
      },
      30_000,
      'each instance to hold its share of the leases',
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${pids.map((pid) => before.get(pid) ?? 0).join(' / ')}`);
    });
    const subscriptions = [...before.values()].reduce((sum, n) => sum + n, 0);
    const victim = c.instances.reduce((busiest, instance) =>
      (before.get(instance.pid()!) ?? 0) > (before.get(busiest.pid()!) ?? 0) ? instance : busiest,
    );
    const victimLeases = before.get(victim.pid()!) ?? 0;
    expect(victimLeases).toBeGreaterThan(0);
    expect(await lockedLeases(c)).toBe(subscriptions);
    const survivors = c.instances.filter((instance) => instance !== victim);
    const [entry] = survivors as [(typeof survivors)[0]];

    // Patients, ops and the vendors' webhooks reach the platform through a survivor.
    c.standIns.setAppUrl(entry.url);
    const ctx = {
      url: entry.url,
      intakeKey: c.intakeKey,
      opsToken: await c.tokenFor('ops', entry.url),
      vendors: inProcessVendors(c.standIns),
      pollMs: 250,
      deadlineMs: 300_000,
    };
    const failures: string[] = [];
    const runId = `three${Date.now().toString(36)}`;
    const drivers: Promise<unknown>[] = [];
    for (let index = 0; index < ORDERS; index++) {
      drivers.push(
        driveOrder(ctx, generateNewRx(index, { now: new Date(), runId })).catch((e: Error) =>
          failures.push(e.message),
        ),
      );
      await sleep(250);
      // Mid-flow, with orders at every step: the lease holder dies without a word.
      if (index === ORDERS / 2) await victim.kill();
    }
    await Promise.all(drivers);
    await c.standIns.stripe.webhooksIdle();
    await waitUntilQuiet(c.db);

    // Every lease moved to a survivor.
    const after = await leasesByPid(c);
    const alive = survivors.map((instance) => instance.pid());
    expect([...after.keys()].every((pid) => alive.includes(pid))).toBe(true);
    expect([...after.values()].reduce((sum, n) => sum + n, 0)).toBe(subscriptions);
    expect(await lockedLeases(c)).toBe(subscriptions);

    const report = await audit(c.db, c.standIns);
    const money = await reconcileMoney(c.db.pool, c.standIns.stripe);
    console.log(
      `three instances: before, ${pids.map((pid) => before.get(pid) ?? 0).join(' / ')} leases; the killed ` +
        `one held ${victimLeases} of ${subscriptions}; after, ` +
        `${after.size} survivors hold all of them; ${report.orders} orders, ${failures.length} stuck, ` +
        `${report.duplicateEffects.length} duplicate effects, ${report.emails} e-mails, ` +
        `${report.duplicateEmails} sent twice`,
    );
    expect(failures).toEqual([]);
    expect(report.orders).toBe(ORDERS);
    expect(report.duplicateEffects).toEqual([]);
    expect(report.duplicateLabels).toBe(0);
    expect(report.duplicateCharges).toBe(0);
    expect(report.duplicateRefunds).toBe(0);
    expect(money.filter((r) => !r.reconciled)).toEqual([]);
    expect(report.duplicateEmails / Math.max(1, report.emails)).toBeLessThanOrEqual(0.03);
  }, 600_000);
});
