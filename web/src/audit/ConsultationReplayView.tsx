import { useMemo, useState } from 'react';
import type { ConsultationHistory } from '../api/types.js';
import { ActorName } from '../staff/directory.js';
import { Fact, Facts } from '../ui/components.js';
import { eventLabel, formatDateTime, statusLabel } from '../ui/format.js';
import { ReplayControls, ReplayEvents } from './ReplayControls.js';
import { changedStateFields, replayConsultationStates } from './replay.js';

type Event = ConsultationHistory['events'][number];

const streamLabel = (stream: string) =>
  stream.startsWith('consultationaccount-') ? 'Account (payments, refunds, links)' : 'Clinical record';

/** Step through a UK consultation's events; beside each, the clinical record as it stood after it. */
export const ConsultationReplayView = ({ events }: { events: Event[] }) => {
  const states = useMemo(() => replayConsultationStates(events), [events]);
  const [index, setIndex] = useState(events.length - 1);
  const last = events.length - 1;
  const event = events[index];
  const state = states[index];
  if (!event || !state) return <p className="muted">This consultation has no events.</p>;
  const changed = changedStateFields(index > 0 ? (states[index - 1] ?? null) : null, state);
  const go = (next: number) => setIndex(Math.min(last, Math.max(0, next)));

  return (
    <div className="replay">
      <ReplayControls index={index} count={events.length} eventType={event.type} go={go} />

      <div
        className="replay-event"
        aria-live="polite"
        data-replay-event={event.type}
        data-replay-index={index + 1}
      >
        <h3>
          {index + 1}. {eventLabel(event.type)}
        </h3>
        <Facts>
          <Fact term="Who">
            <ActorName actor={event.metadata.actor} />
          </Fact>
          <Fact term="When">
            <time dateTime={event.metadata.occurredAt}>{formatDateTime(event.metadata.occurredAt)}</time>
          </Fact>
          <Fact term="Record">{streamLabel(event.stream)}</Fact>
          <Fact term="Correlation">
            <span className="mono">{event.metadata.correlationId}</span>
          </Fact>
          <Fact term="Changed">
            {changed.length > 0 ? changed.join(', ') : 'nothing in the clinical record'}
          </Fact>
        </Facts>
      </div>

      <section aria-labelledby="replay-state-heading" className="replay-state">
        <h3 id="replay-state-heading">The consultation after this event</h3>
        <Facts>
          <Fact term="Status">
            <span className="badge" data-status={state.status}>
              {statusLabel(state.status)}
            </span>
          </Fact>
          <Fact term="Product">{state.product?.name ?? null}</Fact>
          <Fact term="Submitted">{state.submitted ? formatDateTime(state.submitted.at) : null}</Fact>
          <Fact term="Identity verified">
            {state.identityVerifiedAt ? formatDateTime(state.identityVerifiedAt) : null}
          </Fact>
          <Fact term="Review queue">{state.review?.queue ?? null}</Fact>
          <Fact term="Prescription">
            {state.prescription
              ? `${state.prescription.id}${state.prescription.signedAt ? ' (signed)' : ' (awaiting signature)'}`
              : null}
          </Fact>
          <Fact term="GP letter">{statusLabel(state.gpLetter)}</Fact>
          <Fact term="Supplies dispatched">{state.suppliesDispatched || null}</Fact>
        </Facts>
        <details>
          <summary>Full clinical record after event {index + 1}</summary>
          <pre>{JSON.stringify(state, null, 2)}</pre>
        </details>
      </section>

      <ReplayEvents events={events} index={index} go={go} />
    </div>
  );
};
