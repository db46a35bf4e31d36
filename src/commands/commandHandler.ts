import { type Decider, fold } from '../domain/decider.js';
import { isWrongExpectedRevision } from '../eventstore/errors.js';
import type { EventMetadata, EventStore, RecordedEvent } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';
import { contextOf, inSpan, linkToActive, tracingOn } from '../platform/tracing.js';
import { readCurrent, type StreamCache } from './streamCache.js';

export type CommandEnvelope<Command> = {
  /** Unique per intent: the same id again is answered from the stream, never applied twice. */
  commandId: string;
  streamName: string;
  command: Command;
  actor: string;
  correlationId?: string;
  causationId?: string | null;
  /**
   * The command starts its stream (its id derives from what the command claims): the first attempt
   * skips the load and appends with `no_stream`, so a new stream costs one round trip; a stream
   * already there is loaded and answered as usual.
   */
  startsStream?: boolean;
};

export type CommandResult<State> = {
  state: State;
  /** The events this command produced (the earlier ones, when the command was a repeat). */
  events: RecordedEvent[];
  revision: number;
  repeated: boolean;
};

type DomainEvent = { type: string; data: unknown };

export type CommandHandler<State, Command> = (
  envelope: CommandEnvelope<Command>,
) => Promise<CommandResult<State>>;

/**
 * Load → decide → append with the expected revision; on a concurrent write, reload and decide again,
 * a bounded number of times. Event ids derive from the command id, so even a repeat that races past
 * the commandId check is discarded by the store.
 */
export const createCommandHandler = <State, Command, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<State, Command, Event>,
  options: { clock: Clock; maxAttempts?: number; cache?: StreamCache },
): CommandHandler<State, Command> => {
  const cache = options.cache;
  const run = async (
    envelope: CommandEnvelope<Command>,
    loaded?: readonly RecordedEvent[],
  ): Promise<CommandResult<State>> => {
    const maxAttempts = options.maxAttempts ?? 10;
    // A remembered history is tried first, once: any answer but appended events (a refusal, nothing
    // to do, a stale revision) is found again on the stream as it stands.
    let remembered = loaded ? undefined : cache?.get(envelope.streamName);
    for (let attempt = 1; ; attempt++) {
      const assumeNew = attempt === 1 && envelope.startsStream === true && !remembered;
      const guess = remembered;
      remembered = undefined;
      let history: readonly RecordedEvent[];
      if (assumeNew) history = [];
      else if (guess) history = guess;
      else if (attempt === 1 && loaded) history = loaded;
      else if (cache) history = await readCurrent(store, cache, envelope.streamName);
      else history = await store.readStream(envelope.streamName);
      const earlier = history.filter((event) => event.metadata.commandId === envelope.commandId);
      const state = fold(decider, history as unknown as Event[]);
      const revision = history.at(-1)?.streamRevision ?? -1;
      if (earlier.length > 0) return { state, events: earlier, revision, repeated: true };

      let decided: readonly Event[];
      try {
        decided = decider.decide(envelope.command, state);
      } catch (error) {
        if (guess) continue;
        throw error;
      }
      if (decided.length === 0) {
        if (guess) continue;
        return { state, events: [], revision, repeated: false };
      }

      const metadata: EventMetadata = {
        correlationId: envelope.correlationId ?? envelope.commandId,
        causationId: envelope.causationId ?? envelope.commandId,
        actor: envelope.actor,
        occurredAt: options.clock.now().toISOString(),
        commandId: envelope.commandId,
      };
      const toAppend = decided.map((event, index) => ({
        id: deterministicId(envelope.commandId, index),
        type: event.type,
        data: event.data,
        metadata,
      }));
      try {
        const result = await store.appendToStream(envelope.streamName, toAppend, {
          expectedRevision: revision === -1 ? 'no_stream' : revision,
        });
        if (!result.written) continue; // a racing repeat stored them first: answer from the stream
        const recorded = toAppend.map((event, index) => ({
          ...event,
          streamName: envelope.streamName,
          streamRevision: revision + 1 + index,
          globalPosition: result.globalPositions[index]!,
        }));
        cache?.remember(envelope.streamName, [...history, ...recorded]);
        return {
          state: decided.reduce(decider.evolve, state),
          events: recorded,
          revision: result.nextExpectedRevision,
          repeated: false,
        };
      } catch (error) {
        // A refused guess is still the start of the stream: the reload reads only what follows it.
        if (!isWrongExpectedRevision(error) || attempt >= maxAttempts) throw error;
        if (assumeNew || guess) continue; // the stream moved on: load it and answer from it
        // Writers that collided would collide again at once: wait a little, each a different while.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  };

  return async (envelope) => {
    const name = `command ${(envelope.command as { type?: string }).type ?? 'unknown'}`;
    const attributes = { 'pharmacy.stream': envelope.streamName, 'pharmacy.command_id': envelope.commandId };
    if (!tracingOn() || envelope.startsStream === true) {
      return inSpan(name, { attributes }, () => run(envelope));
    }
    // Traced: the command joins its stream's trace (the order's or consultation's, from its first
    // event) and links the request or delivery that issued it.
    const history = await store.readStream(envelope.streamName);
    const parent = contextOf(history[0]?.metadata.traceparent);
    return inSpan(name, { attributes, parent, links: parent ? linkToActive() : [] }, () =>
      run(envelope, history),
    );
  };
};
