import { useMemo, useState } from 'react';
import { patientName } from '../../../src/projections/orders/orderView.js';
import type { OrderEventRecord } from '../api/types.js';
import { ActorName } from '../staff/directory.js';
import { Fact, Facts, StatusBadge } from '../ui/components.js';
import { eventLabel, formatDateTime, formatMoney, statusLabel } from '../ui/format.js';
import { ReplayControls, ReplayEvents } from './ReplayControls.js';
import { changedFields, replayStates } from './replay.js';

/** Step through the events; beside each, the order exactly as it stood after it. */
export const ReplayView = ({ events }: { events: OrderEventRecord[] }) => {
  const states = useMemo(() => replayStates(events), [events]);
  const [index, setIndex] = useState(events.length - 1);
  const last = events.length - 1;
  const event = events[index];
  const state = states[index] ?? null;
  if (!event) return <p className="muted">This order has no events.</p>;
  const changed = changedFields(index > 0 ? (states[index - 1] ?? null) : null, state);
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
          <Fact term="Correlation">
            <span className="mono">{event.metadata.correlationId}</span>
          </Fact>
          <Fact term="Changed">
            {changed.length > 0 ? changed.join(', ') : 'nothing the order view shows'}
          </Fact>
        </Facts>
      </div>

      <section aria-labelledby="replay-state-heading" className="replay-state">
        <h3 id="replay-state-heading">The order after this event</h3>
        {state ? (
          <>
            <Facts>
              <Fact term="Status">
                <StatusBadge status={state.status} />
              </Fact>
              <Fact term="Status since">{formatDateTime(state.statusSince)}</Fact>
              <Fact term="Patient">{patientName(state.prescription)}</Fact>
              <Fact term="Medication">{state.prescription.medication.description}</Fact>
              <Fact term="Validation issues">{state.validationIssues.length || 'None'}</Fact>
              <Fact term="Enrollment">
                {state.enrollment.completedAt
                  ? `Completed ${formatDateTime(state.enrollment.completedAt)}`
                  : state.enrollment.linksIssued
                    ? `${state.enrollment.linksIssued} link(s) sent`
                    : null}
              </Fact>
              <Fact term="Pharmacy">{state.pharmacy?.name}</Fact>
              <Fact term="Patient pays">
                {state.adjudication ? formatMoney(state.adjudication.patientPaysAfterCouponMinor) : null}
              </Fact>
              <Fact term="Payment">{statusLabel(state.payment.status)}</Fact>
              <Fact term="Tracking">
                {state.shipment ? `${state.shipment.carrier} ${state.shipment.trackingNumber}` : null}
              </Fact>
              <Fact term="Carrier scans">{state.tracking.length || null}</Fact>
              <Fact term="Cancelled">{state.cancellation ? state.cancellation.reason : null}</Fact>
              <Fact term="Completed">{state.completedAt ? formatDateTime(state.completedAt) : null}</Fact>
            </Facts>
            <details>
              <summary>Full order view after event {index + 1}</summary>
              <pre>{JSON.stringify(state, null, 2)}</pre>
            </details>
          </>
        ) : (
          <p className="muted">No order view: the history does not start with a received prescription.</p>
        )}
      </section>

      <ReplayEvents events={events} index={index} go={go} />
    </div>
  );
};
