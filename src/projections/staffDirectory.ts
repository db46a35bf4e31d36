import { fold } from '../domain/decider.js';
import { type StaffAccountEvent, staffAccountDecider } from '../domain/staff/staffAccount.js';
import type { EventStore, RecordedEvent } from '../eventstore/types.js';
import type { SqlClient, SqlPool } from '../platform/sql.js';
import type { Projection } from './runtime.js';

type Queryable = Pick<SqlPool | SqlClient, 'query'>;

/**
 * One staff member's row in the directory (`staff_users`), folded from their whole stream with the
 * decider's own evolve. Only a newer version replaces an older one, so the command that made a
 * change (which writes the row at once, for the sign-in that follows) and this projection (which
 * catches up and rebuilds) never undo each other.
 */
export const writeStaffRow = async (db: Queryable, events: readonly RecordedEvent[]): Promise<void> => {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) return;
  const state = fold(staffAccountDecider, events as unknown as StaffAccountEvent[]);
  if (state.status === 'none') return;
  const upsert = () =>
    db.query(
      `INSERT INTO staff_users (id, email, display_name, roles, disabled, must_change_password, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name,
       roles = EXCLUDED.roles, disabled = EXCLUDED.disabled, must_change_password = EXCLUDED.must_change_password,
       updated_at = EXCLUDED.updated_at, version = EXCLUDED.version
     WHERE staff_users.version < EXCLUDED.version`,
      [
        state.staffId,
        state.email,
        state.displayName,
        state.roles,
        state.status === 'disabled',
        state.mustChangePassword,
        first.metadata.occurredAt,
        last.metadata.occurredAt,
        last.streamRevision,
      ],
    );
  // The command and this projection can insert the same new row at the same moment: PostgreSQL
  // then reports the e-mail's unique index, not the id the upsert arbitrates on. Once the other
  // insert has committed, the upsert takes its ON CONFLICT path.
  for (let attempt = 1; ; attempt++) {
    try {
      await upsert();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505' || attempt >= 3) throw error;
    }
  }
};

/**
 * The staff directory: who each `staff:<id>` actor is, for timelines, the audit trail and exports.
 * Each member's row is folded from their whole stream, read from the platform's event store.
 */
export const createStaffDirectoryProjection = (store: Pick<EventStore, 'readStream'>): Projection => ({
  name: 'staff-directory',
  filter: { kind: 'categories', categories: ['staff'] },
  tables: ['staff_users'],
  async applyBatch(client, events) {
    for (const stream of new Set(events.map((e) => e.streamName)))
      await writeStaffRow(client, await store.readStream(stream));
  },
});
