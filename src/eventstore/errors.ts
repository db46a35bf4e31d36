import type { ExpectedRevision } from './types.js';

/** The stream was not at the revision the writer expected: somebody else wrote first. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or null when it does not exist. */
    readonly actual: number | null,
  ) {
    super(
      `Append to ${streamName} expected revision ${String(expected)} but the stream is at ${
        actual === null ? 'no_stream' : actual
      }`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

export const isWrongExpectedRevision = (error: unknown): error is WrongExpectedRevisionError =>
  error instanceof WrongExpectedRevisionError;

/** Another consumer moved the checkpoint first: this one lost its lease and must not commit. */
export class CheckpointConflictError extends Error {
  constructor(readonly subscriptionId: string) {
    super(`checkpoint of ${subscriptionId} was moved by another consumer`);
    this.name = 'CheckpointConflictError';
  }
}
