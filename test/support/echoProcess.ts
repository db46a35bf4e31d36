import type { EventStore } from '../../src/eventstore/types.js';
import { deterministicId } from '../../src/platform/ids.js';
import type { ProcessManager } from '../../src/processes/runtime.js';

/**
 * A process manager whose effect is a write keyed by its trigger: each `Tick` of `src-<x>` is echoed
 * to `echo-<x>` under an id derived from the tick's id, as real process managers key their commands.
 * With `crashAt`, the process kills itself (SIGKILL) once that tick's echo is written.
 */
export const echoProcess = (
  store: EventStore,
  options: {
    crashAt?: { stream: string; seq: number };
    onDeliver?: (stream: string, seq: number) => Promise<void>;
  } = {},
): ProcessManager => ({
  name: 'echo',
  filter: { kind: 'categories', categories: ['src'] },
  async handle(event) {
    const { seq } = event.data as { seq: number };
    await options.onDeliver?.(event.streamName, seq);
    await store.appendToStream(`echo-${event.streamName.slice('src-'.length)}`, [
      {
        id: deterministicId('echo', event.id),
        type: 'Echoed',
        data: { seq, of: event.id },
        metadata: {
          correlationId: event.id,
          causationId: event.id,
          actor: 'test',
          occurredAt: event.metadata.occurredAt,
        },
      },
    ]);
    if (options.crashAt && options.crashAt.stream === event.streamName && options.crashAt.seq === seq) {
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {});
    }
  },
});
