import type { Projection } from '../../src/projections/runtime.js';

/** A test read model recording which process handled which event, to count deliveries. */
export const seenProjection = (options: { crashAtPosition?: number; delayMs?: number } = {}): Projection => ({
  name: 'seen',
  filter: { kind: 'all' },
  tables: ['seen'],
  async applyBatch(client, events) {
    await client.query(
      'INSERT INTO seen (event_id, global_position, pid) SELECT unnest($1::uuid[]), unnest($2::bigint[]), $3',
      [events.map((e) => e.id), events.map((e) => e.globalPosition), process.pid],
    );
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    // Dies after writing the read model but before the checkpoint commits with it.
    if (
      options.crashAtPosition !== undefined &&
      events.some((e) => e.globalPosition === options.crashAtPosition)
    ) {
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {});
    }
  },
});

export const SEEN_TABLE =
  'CREATE TABLE IF NOT EXISTS seen (event_id uuid NOT NULL, global_position bigint NOT NULL, pid int NOT NULL)';
