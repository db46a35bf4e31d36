import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { runDemo } from '../../sandbox/demo/run.js';

describe('npm run demo -- --keep', () => {
  it('leaves its database on the server and says where, with the orders it drove inside', async () => {
    const report = await runDemo({
      orders: 1,
      concurrency: 1,
      consultations: 0,
      keep: true,
      databaseUrl: inject('databaseUrl'),
    });
    expect(report.failures).toEqual([]);
    const kept = report.keptDatabase;
    expect(kept?.name).toMatch(/^demo_/);
    expect(kept?.embedded).toBe(false);
    const client = new pg.Client({ connectionString: kept!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM orders');
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await client.end();
      const admin = new pg.Client({ connectionString: inject('databaseUrl') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${kept!.name} WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);

  it('without --keep, reports no kept database', async () => {
    const report = await runDemo({
      orders: 1,
      concurrency: 1,
      consultations: 0,
      databaseUrl: inject('databaseUrl'),
    });
    expect(report.keptDatabase).toBeNull();
  }, 120_000);
});
