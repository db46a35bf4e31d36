import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.js';
import { benchDatabase, throughput } from './support.js';

const db = await benchDatabase();
const store = createPostgresEventStore(db.pool);
const meta = JSON.stringify({ correlationId: 'x', causationId: null, actor: 'x', occurredAt: 'x' });
const data = JSON.stringify({ ndc: '00074055402', quantity: 2 });
await db.pool.query(
  `CREATE TABLE bare (id bigserial primary key, stream_name text, stream_revision bigint, event_id uuid, event_type text, data jsonb, metadata jsonb)`,
);
await db.pool.query(`CREATE TABLE shaped (LIKE events INCLUDING ALL)`);
await db.pool.query(
  `CREATE SEQUENCE shaped_seq; ALTER TABLE shaped ALTER global_position SET DEFAULT nextval('shaped_seq')`,
);
for (const writers of [1, 4]) {
  const bare = await throughput(writers, 3, (w, i) =>
    db.pool
      .query(
        'INSERT INTO bare (stream_name, stream_revision, event_id, event_type, data, metadata) VALUES ($1,$2,$3,$4,$5,$6)',
        [`s-${w}-${i % 500}`, i, randomUUID(), 'T', data, meta],
      )
      .then(() => {}),
  );
  const shaped = await throughput(writers, 3, (w, i) =>
    db.pool
      .query(
        'INSERT INTO shaped (stream_name, stream_revision, event_id, event_type, data, metadata) VALUES ($1,$2,$3,$4,$5,$6)',
        [`s-${writers}-${w}-${i}`, 0, randomUUID(), 'T', data, meta],
      )
      .then(() => {}),
  );
  const append = await throughput(writers, 3, (w, i) =>
    store
      .appendToStream(`s-${w}x${i % 500}`, [
        { id: randomUUID(), type: 'T', data: JSON.parse(data), metadata: JSON.parse(meta) },
      ])
      .then(() => {}),
  );
  console.log(
    writers,
    'bare',
    Math.round(bare),
    'shaped',
    Math.round(shaped),
    'append',
    Math.round(append),
    'vs bare',
    (append / bare).toFixed(2),
    'vs shaped',
    (append / shaped).toFixed(2),
  );
}
const s = await db.pool.query(
  `select name, setting from pg_settings where name in ('synchronous_commit','fsync','wal_sync_method','shared_buffers')`,
);
console.log(s.rows);
await db.close();
