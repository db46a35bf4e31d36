import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driveConsultation } from '../../sandbox/demo/consultationDriver.js';
import { driveOrder } from '../../sandbox/demo/driver.js';
import { generateNewRx } from '../../sandbox/demo/generate.js';
import { reconcileMoney } from '../../sandbox/demo/reconcile.js';
import { inProcessVendors } from '../../sandbox/demo/vendors.js';
import { projectRoot } from '../../src/platform/paths.js';
import { type KillablePlatform, killablePlatform } from '../support/childPlatform.js';
import { audit, waitUntilQuiet } from '../support/crashAudit.js';
import type { TestDatabase } from '../support/database.js';

// The platform is killed with SIGKILL at random moments, again and again, while prescriptions and
// consultations flow through it; the vendors (stand-ins), the database and the people driving the
// cases (patients, ops, clinicians) live on in this process. At the end nothing may be lost, stuck
// or done twice: no second label, charge, refund, Royal Mail order or prescription, no repeated
// effect in any stream, every cent reconciled; e-mails sent twice are counted (the outbox allows a
// repeat only when a crash falls between the SMTP server's acceptance and the 'sent' mark).

const ORDERS = 80;
const CONSULTATIONS = 10;
const MIN_KILLS = 16;
/** Enough: beyond this the cases are left to finish (a slow machine restarts slowly). */
const MAX_KILLS = 32;
/** Orders arrive over time, as prescriptions do, so the kills fall among cases at every step. */
const ARRIVAL_MS = 700;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (low: number, high: number) => low + Math.random() * (high - low);

let platform: KillablePlatform | undefined;
afterAll(() => platform?.close());

type Count = { label: string; value: number };

describe('the platform killed at random points while cases run', () => {
  it(`loses, strands and repeats nothing across ≥${MIN_KILLS} kills with ${ORDERS} orders and ${CONSULTATIONS} consultations`, async () => {
    // Stripe is read back 30 s after a checkout opens, in case its webhook was lost to a crash.
    // An e-mail or text claimed by a killed platform is taken over after 10 s (production: 60 s).
    platform = await killablePlatform({ PAYMENT_CHECK_MINUTES: '0.5', OUTBOX_CLAIM_SECONDS: '10' });
    const { url, intakeKey, standIns, db } = platform;
    const current = platform;
    await current.start();
    const tokens = {
      ops: await current.tokenFor('ops'),
      prescriber: await current.tokenFor('prescriber'),
      pharmacist: await current.tokenFor('pharmacist'),
    };

    // A start that fails (on a machine so loaded that it does not answer within its deadline) is
    // reported and tried again: the cases must still finish on the platform that comes up.
    const startFailures: string[] = [];
    const restart = async () => {
      for (;;) {
        try {
          await current.start();
          return;
        } catch (error) {
          startFailures.push((error as Error).message.slice(0, 300));
          console.log(`restart failed, trying again: ${(error as Error).message.slice(0, 300)}`);
          await current.kill();
        }
      }
    };

    // Kill at random moments for as long as cases run (and at least MIN_KILLS times).
    let running = true;
    let kills = 0;
    let killsWhileRunning = 0;
    const killer = (async () => {
      while ((running && kills < MAX_KILLS) || kills < MIN_KILLS) {
        // Up for a few seconds, so work gets done between the kills and each kill lands mid-work.
        await sleep(between(1_000, 4_000));
        await current.kill();
        kills += 1;
        if (running) killsWhileRunning += 1;
        await restart();
      }
    })();

    const runId = `crash${Date.now().toString(36)}`;
    const deadlineMs = 600_000;
    const vendors = inProcessVendors(standIns);
    const orderCtx = { url, intakeKey, opsToken: tokens.ops, vendors, pollMs: 250, deadlineMs };
    const ukCtx = { url, tokens, vendors, pollMs: 250, deadlineMs };
    const failures: string[] = [];
    const drivers: Promise<unknown>[] = [];
    for (let index = 0; index < ORDERS; index++) {
      const rx = generateNewRx(index, { now: new Date(), runId });
      const scenario = index % 10 === 7 ? 'lost_then_cancelled' : 'delivered';
      drivers.push(driveOrder(orderCtx, rx, scenario).catch((e: Error) => failures.push(e.message)));
      if (index % 8 === 3 && index / 8 < CONSULTATIONS) {
        drivers.push(
          driveConsultation(ukCtx, Math.floor(index / 8), runId).catch((e: Error) =>
            failures.push(`consultation: ${e.message}`),
          ),
        );
      }
      await sleep(ARRIVAL_MS);
      // However fast or slow the machine restarts, the kills keep pace with the arrivals: the last
      // order goes in only after MIN_KILLS kills, so all of them fall while cases run.
      while (kills < Math.ceil(((index + 1) * MIN_KILLS) / ORDERS)) await sleep(100);
    }
    while (drivers.length < ORDERS + CONSULTATIONS) {
      const index = drivers.length - ORDERS;
      drivers.push(
        driveConsultation(ukCtx, index, runId).catch((e: Error) =>
          failures.push(`consultation: ${e.message}`),
        ),
      );
    }
    await Promise.all(drivers);
    running = false;
    await killer;

    // Let the vendors' last redeliveries and the outbox's last e-mails land.
    await Promise.all([standIns.stripe.webhooksIdle(), standIns.royalMail.webhooksIdle()]);
    await waitUntilQuiet(db);

    const report = await audit(db, standIns);
    const money = await reconcileMoney(db.pool, standIns.stripe);
    const counts: Count[] = [
      { label: 'kills (while cases ran)', value: killsWhileRunning },
      { label: 'kills in all', value: kills },
      { label: 'restarts that failed (tried again)', value: startFailures.length },
      { label: 'orders', value: report.orders },
      { label: 'consultations', value: report.consultations },
      { label: 'orders lost', value: ORDERS - report.orders },
      { label: 'cases stuck (not finished)', value: failures.length },
      { label: 'duplicate effects in streams', value: report.duplicateEffects.length },
      { label: 'duplicate labels (Shippo)', value: report.duplicateLabels },
      { label: 'duplicate charges (Stripe)', value: report.duplicateCharges },
      { label: 'duplicate refunds (Stripe)', value: report.duplicateRefunds },
      { label: 'duplicate Royal Mail orders', value: report.duplicateRoyalMailOrders },
      { label: 'duplicate SignatureRx prescriptions', value: report.duplicatePrescriptions },
      { label: 'cases not reconciled (money)', value: money.filter((r) => !r.reconciled).length },
      { label: 'e-mails', value: report.emails },
      { label: 'e-mails sent twice', value: report.duplicateEmails },
    ];
    const emailDuplicateRate = report.emails === 0 ? 0 : report.duplicateEmails / report.emails;
    const table = [
      ...counts.map((c) => `${c.label.padEnd(36)} ${String(c.value).padStart(6)}`),
      `${'e-mail duplicate rate'.padEnd(36)} ${(emailDuplicateRate * 100).toFixed(2).padStart(5)}%`,
    ];
    console.log(`\ncrash run\n${table.join('\n')}`);
    await mkdir(join(projectRoot, 'test-artifacts'), { recursive: true });
    await writeFile(
      join(projectRoot, 'test-artifacts', 'crash-report.json'),
      JSON.stringify(
        {
          counts,
          emailDuplicateRate,
          failures,
          startFailures,
          duplicates: report.duplicateEffects,
          repeatedEmails: report.repeatedEmails,
        },
        null,
        2,
      ),
    );

    expect(failures, `${failures.slice(0, 5).join('\n')}\n${await whyStuck(db, failures)}`).toEqual([]);
    expect(killsWhileRunning).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(report.orders).toBe(ORDERS);
    expect(report.consultations).toBe(CONSULTATIONS);
    expect(report.duplicateEffects).toEqual([]);
    expect(report.duplicateLabels).toBe(0);
    expect(report.duplicateCharges).toBe(0);
    expect(report.duplicateRefunds).toBe(0);
    expect(report.duplicateRoyalMailOrders).toBe(0);
    expect(report.duplicatePrescriptions).toBe(0);
    expect(money.filter((r) => !r.reconciled)).toEqual([]);
    // A repeat needs a kill between the SMTP server's acceptance and the 'sent' mark: its rate
    // grows with kills per e-mail and the machine's load (about 1-2 % at a kill every 4-5 s here).
    expect(emailDuplicateRate).toBeLessThanOrEqual(0.03);
  }, 1_200_000);
});

/** For a failed run: where each stuck order's stream ends, and what parked or failed on it. */
const whyStuck = async (database: TestDatabase, failures: readonly string[]) => {
  const lines: string[] = [];
  for (const failure of failures.slice(0, 5)) {
    const orderId = /order (\w+) stopped/.exec(failure)?.[1];
    if (!orderId) continue;
    const stream = `order-${orderId}`;
    const { rows: last } = await database.pool.query<{ event_type: string; actor: string }>(
      `SELECT event_type, metadata->>'actor' AS actor FROM events WHERE stream_name = $1
        ORDER BY stream_revision DESC LIMIT 4`,
      [stream],
    );
    const { rows: parked } = await database.pool.query<{ subscription_id: string; error: string }>(
      'SELECT subscription_id, left(error, 300) AS error FROM parked_events WHERE stream_name = $1',
      [stream],
    );
    const { rows: timers } = await database.pool
      .query<{ kind: string; due_at: Date }>(
        "SELECT kind, due_at, status, attempts, left(last_error, 200) AS last_error FROM timers WHERE stream_name = $1 AND status <> 'fired'",
        [stream],
      )
      .catch(() => ({ rows: [] as { kind: string; due_at: Date }[] }));
    lines.push(
      `${stream}: last ${last.map((e) => `${e.event_type} (${e.actor})`).join(' < ')}; ` +
        `parked ${JSON.stringify(parked)}; timers ${JSON.stringify(timers)}`,
    );
  }
  return lines.join('\n');
};
