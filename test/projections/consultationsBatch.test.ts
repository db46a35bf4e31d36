import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlQueryable } from '../../src/platform/sql.js';
import { consultationsProjection } from '../../src/projections/consultations/consultationsProjection.js';
import { consultationSteps, HAIR_LOSS, SILDENAFIL } from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

// The consultations read model wrote each consultation with its own statement; a batch now writes
// every consultation it touched, and every new parcel, with one statement each.

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  const steps = await consultationSteps(harness);
  for (const [index, product] of [HAIR_LOSS, SILDENAFIL, HAIR_LOSS].entries()) {
    const session = await steps.paidConsultation(product, { kind: 'one_off' }, { lastName: `Batch${index}` });
    await steps.approve(session, product);
    await steps.printSlip(session);
    await steps.dispatch(session);
  }
  await steps.settle();
});
afterAll(() => harness?.close());

const rows = async (db: SqlQueryable) => ({
  consultations: (await db.query('SELECT * FROM consultations ORDER BY consultation_id')).rows,
  shipments: (await db.query('SELECT * FROM consultation_shipments ORDER BY tracking_number')).rows,
});

describe('the consultations read model', () => {
  it('given three dispatched consultations, when their events are applied as one batch, then one statement writes them and one their parcels, row for row as before', async () => {
    const { pool } = harness.db;
    const before = await rows(pool);
    expect(before.consultations).toHaveLength(3);
    expect(before.shipments).toHaveLength(3);
    const { rows: events } = await pool.query(
      `SELECT event_id AS id, event_type AS type, data, metadata, stream_name AS "streamName",
              stream_revision::int AS "streamRevision", global_position::int AS "globalPosition"
         FROM events WHERE stream_name LIKE 'consultation-%' OR stream_name LIKE 'consultationaccount-%'
        ORDER BY global_position`,
    );

    const client = await pool.connect();
    const statements: string[] = [];
    try {
      await client.query('BEGIN');
      await client.query('TRUNCATE consultation_shipments, consultations');
      const counting = new Proxy(client, {
        get(target, property, receiver) {
          if (property !== 'query') return Reflect.get(target, property, receiver);
          return (text: string, values?: unknown[]) => {
            statements.push(text);
            return target.query(text, values);
          };
        },
      });
      await consultationsProjection.applyBatch(counting, events);
      const after = await rows(client);
      await client.query('ROLLBACK');
      expect(after).toEqual(before);
    } finally {
      client.release();
    }
    expect(statements.filter((s) => /INSERT INTO consultations /.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /INSERT INTO consultation_shipments/.test(s))).toHaveLength(1);
  });
});
