/**
 * Where a reader of the PostgreSQL store stands: after this (transaction id, global position) pair,
 * in commit-safe order. The ports pass it around only as an opaque checkpoint
 * (`pg:<transaction id>:<global position>`, see subscriptionSource.ts); the live feed's protocol still
 * carries it as is.
 */
export type Checkpoint = { transactionId: string; globalPosition: number };

export const START_CHECKPOINT: Checkpoint = { transactionId: '0', globalPosition: 0 };
