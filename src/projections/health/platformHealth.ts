import type { SqlPool } from '../../platform/sql.js';

export type { SubscriptionLag } from '../../eventstore/consumers.js';

/** What ops would be paged about: vendor incidents open, events parked, timers past due. */
export type BacklogCounts = {
  openIncidents: Record<'pending_api_unavailable' | 'manual_handling', number>;
  parkedEvents: number;
  timersDue: number;
};

/** `now` from the platform's clock: a timer is due by the time the platform keeps. */
export const backlogCounts = async (pool: SqlPool, now: Date): Promise<BacklogCounts> => {
  const { rows } = await pool.query<{ pending: number; manual: number; parked: number; due: number }>(
    `SELECT (SELECT count(*) FROM integration_incidents WHERE state = 'pending_api_unavailable')::int AS pending,
            (SELECT count(*) FROM integration_incidents WHERE state = 'manual_handling')::int AS manual,
            (SELECT count(*) FROM parked_events WHERE status = 'parked')::int AS parked,
            (SELECT count(*) FROM timers WHERE status = 'pending' AND due_at <= $1)::int AS due`,
    [now],
  );
  const row = rows[0]!;
  return {
    openIncidents: { pending_api_unavailable: row.pending, manual_handling: row.manual },
    parkedEvents: row.parked,
    timersDue: row.due,
  };
};
