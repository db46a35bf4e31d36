import { currentTraceparent, inSpan, tracingOn } from '../platform/tracing.js';
import { type EventStore, streamCategory } from './types.js';

/**
 * The store with each append in a span, and each event carrying that span's context (`traceparent`
 * in its metadata) for the process managers it wakes. Untraced, appends pass straight through.
 */
export const tracedAppends = (store: EventStore): EventStore => ({
  ...store,
  appendToStream: (streamName, events, options) =>
    tracingOn()
      ? inSpan(
          `append ${streamCategory(streamName)}`,
          {
            attributes: { 'pharmacy.stream': streamName, 'pharmacy.event_types': events.map((e) => e.type) },
          },
          () =>
            store.appendToStream(
              streamName,
              events.map((event) => ({
                ...event,
                metadata: { ...event.metadata, traceparent: currentTraceparent() },
              })),
              options,
            ),
        )
      : store.appendToStream(streamName, events, options),
});
