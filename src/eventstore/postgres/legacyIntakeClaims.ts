import type { SqlQueryable } from '../../platform/sql.js';

/**
 * Whether the event store holds MessageID claim streams (category `intake`) from before intake
 * became one append (the order's stream is the claim now). Asked once per process: no process of
 * this version writes them, so an answer of no stays true.
 */
export const legacyIntakeClaimsPresent = (pool: SqlQueryable) => {
  let answer: Promise<boolean> | undefined;
  return () => {
    answer ??= pool
      .query<{ present: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM events WHERE category = 'intake') AS present",
      )
      .then((result) => result.rows[0]!.present)
      .catch((error: unknown) => {
        answer = undefined;
        throw error;
      });
    return answer;
  };
};
