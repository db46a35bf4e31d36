import { type Position, START } from '@kurrent/kurrentdb-client';
import type { OpaqueCheckpoint } from '../subscriptions.js';

/**
 * The port's numeric `globalPosition` is the `$all` commit position: a byte offset in the
 * transaction log, so it orders every event and stays far below 2^53. Events appended through
 * this adapter are single-phase commits, whose commit and prepare positions are equal, so the
 * number alone rebuilds the `$all` position a read starts from.
 */
export const toGlobalPosition = (position: Position): number => {
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`$all commit position ${position.commit} does not fit a JavaScript number`);
  }
  return Number(position.commit);
};

export const fromGlobalPosition = (globalPosition: number): Position | typeof START => {
  if (!Number.isSafeInteger(globalPosition) || globalPosition < 0) {
    throw new RangeError(`invalid global position ${globalPosition}`);
  }
  return globalPosition === 0 ? START : { commit: BigInt(globalPosition), prepare: BigInt(globalPosition) };
};

/** True when `a` comes after `b` in `$all`; nothing comes before the start (undefined). */
export const isAfter = (a: Position, b: Position | undefined): boolean =>
  b === undefined || a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);

const CHECKPOINT = /^kurrentdb:(\d+)\/(\d+)$/;

/** A subscription checkpoint keeps both halves of the `$all` position: `kurrentdb:<commit>/<prepare>`. */
export const encodeCheckpoint = (position: Position): OpaqueCheckpoint =>
  `kurrentdb:${position.commit}/${position.prepare}` as OpaqueCheckpoint;

/** The position a checkpoint names, or undefined (the start) when there is none. */
export const decodeCheckpoint = (checkpoint: OpaqueCheckpoint | undefined): Position | undefined => {
  if (checkpoint === undefined) return undefined;
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new RangeError(`"${checkpoint}" is not a KurrentDB event store checkpoint`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
};

/**
 * The checkpoint just past an event appended through this adapter (a single-phase commit: commit
 * and prepare positions equal its global position).
 */
export const checkpointOfEvent = (event: { globalPosition: number }): OpaqueCheckpoint =>
  encodeCheckpoint({ commit: BigInt(event.globalPosition), prepare: BigInt(event.globalPosition) });

/** The global position (commit position) a checkpoint stands at; the start when none. */
export const positionOfCheckpoint = (checkpoint: OpaqueCheckpoint): number => {
  const position = decodeCheckpoint(checkpoint);
  return position === undefined ? 0 : toGlobalPosition(position);
};
