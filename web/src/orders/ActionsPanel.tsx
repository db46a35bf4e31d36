import { type FormEvent, useId, useState } from 'react';
import type { Incident, OrderDetail, ParkedEvent } from '../api/types.js';
import { eventLabel, formatDateTime } from '../ui/format.js';
import { ActionCard, type ActionProps, Outcome, ReasonField } from './actionParts.js';
import {
  availableActions,
  buildCorrections,
  CORRECTABLE_FIELDS,
  type CorrectionGroup,
  type CorrectionValues,
} from './availableActions.js';
import { ContactAction, DeliveryStatusAction, ReshipAction } from './deliveryActions.js';
import { AcceptMismatchAction, CancelAction, RefundAction, RefundMismatchAction } from './moneyActions.js';
import { useAction } from './useAction.js';

const EnrollmentAction = ({ order, onDone, resend }: ActionProps & { resend: boolean }) => {
  const action = useAction(onDone);
  const [email, setEmail] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      `/api/orders/${order.orderId}/enrollment`,
      email.trim() ? { email: email.trim() } : {},
      resend
        ? 'A new enrollment link was sent; the old one no longer works.'
        : 'Enrollment started: the link is on its way.',
    );
  };
  return (
    <ActionCard title={resend ? 'Resend enrollment link' : 'Start enrollment'}>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-email`}>Patient email (optional)</label>
          <input
            id={`${id}-email`}
            type="email"
            value={email}
            placeholder={order.enrollment.linkSentTo ?? order.prescription.patient.email ?? ''}
            aria-describedby={`${id}-hint`}
            onChange={(e) => setEmail(e.target.value)}
          />
          <p id={`${id}-hint`} className="hint">
            Leave empty to use the address on the prescription
            {order.enrollment.linkSentTo ? ' or the one used last time' : ''}.
          </p>
        </div>
        <button type="submit" disabled={action.busy}>
          {resend ? 'Resend link' : 'Start enrollment'}
        </button>
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

const emptyCorrections = (): CorrectionValues => ({
  patient: {},
  prescriber: {},
  pharmacy: {},
  medication: {},
});

const currentValue = (order: OrderDetail, group: CorrectionGroup, field: string): string | undefined => {
  const source = order.prescription[group] as Record<string, unknown> | undefined;
  const value = source?.[field];
  return typeof value === 'string' ? value : undefined;
};

const CorrectionsAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const [values, setValues] = useState(emptyCorrections);
  const [reason, setReason] = useState('');
  const id = useId();
  const flagged = new Set(order.validationIssues.map((issue) => issue.field));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(
      `/api/orders/${order.orderId}/corrections`,
      { corrections: buildCorrections(values), reason },
      'Corrections saved; the prescription is being validated again.',
    );
    if (ok) {
      setValues(emptyCorrections());
      setReason('');
    }
  };
  return (
    <ActionCard title="Correct and revalidate">
      <form onSubmit={submit} className="stack">
        <p className="hint">Fill in only the fields to change; empty fields stay as they are.</p>
        {(Object.keys(CORRECTABLE_FIELDS) as CorrectionGroup[]).map((group) => (
          <fieldset key={group}>
            <legend>{group.charAt(0).toUpperCase() + group.slice(1)}</legend>
            {Object.entries(CORRECTABLE_FIELDS[group]).map(([field, label]) => {
              const inputId = `${id}-${group}-${field}`;
              const now = currentValue(order, group, field);
              const isFlagged = flagged.has(`${group}.${field}`);
              return (
                <div className="field" key={field}>
                  <label htmlFor={inputId}>
                    {label}
                    {isFlagged ? <span className="flag flag-issue">has an issue</span> : null}
                  </label>
                  <input
                    id={inputId}
                    value={(values[group] as Record<string, string | undefined>)[field] ?? ''}
                    aria-describedby={`${inputId}-now`}
                    onChange={(e) =>
                      setValues((v) => ({ ...v, [group]: { ...v[group], [field]: e.target.value } }))
                    }
                  />
                  <span id={`${inputId}-now`} className="hint">
                    Now: {now === undefined ? 'missing' : now === '' ? 'empty' : now}
                  </span>
                </div>
              );
            })}
          </fieldset>
        ))}
        <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
        <button type="submit" disabled={action.busy}>
          Save corrections and revalidate
        </button>
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

const PharmacyAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const [choice, setChoice] = useState(order.recommendations[0]?.pharmacyId ?? '');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = order.recommendations.find((r) => r.pharmacyId === choice);
    void action.run(
      `/api/orders/${order.orderId}/pharmacy`,
      { pharmacyId: choice },
      `${chosen?.name ?? 'Pharmacy'} selected.`,
    );
  };
  return (
    <ActionCard title="Select a pharmacy">
      <form onSubmit={submit} className="stack">
        <fieldset>
          <legend>Recommended pharmacies, best first</legend>
          {order.recommendations.map((r) => (
            <div className="choice" key={r.pharmacyId}>
              <input
                type="radio"
                id={`${id}-${r.pharmacyId}`}
                name={`${id}-pharmacy`}
                value={r.pharmacyId}
                checked={choice === r.pharmacyId}
                onChange={() => setChoice(r.pharmacyId)}
              />
              <label htmlFor={`${id}-${r.pharmacyId}`}>
                <strong>{r.name}</strong> — score {r.score}
                <span className="hint">{r.reasons.join('; ')}</span>
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" disabled={action.busy || !choice}>
          Select pharmacy
        </button>
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

const ResubmitAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const [reason, setReason] = useState('');
  const [pa, setPa] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      `/api/orders/${order.orderId}/claim/resubmit`,
      { reason, priorAuthorizationNumber: pa.trim() || null },
      'Claim resubmitted.',
    );
  };
  return (
    <ActionCard title="Resubmit the rejected claim">
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-pa`}>Prior authorization number (optional)</label>
          <input id={`${id}-pa`} maxLength={40} value={pa} onChange={(e) => setPa(e.target.value)} />
        </div>
        <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
        <button type="submit" disabled={action.busy}>
          Resubmit claim
        </button>
        <Outcome action={action} />
      </form>
      <p className="hint">Or cancel the order below.</p>
    </ActionCard>
  );
};

const RECEIVED_VIA = [
  ['fax', 'Fax'],
  ['phone', 'Phone'],
  ['portal', 'Payer portal'],
  ['payer', 'The payer directly'],
] as const;

/** An approval that came by fax or phone: recorded, and the claim goes again carrying it. */
const PriorAuthorizationAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const [number, setNumber] = useState('');
  const [receivedVia, setReceivedVia] = useState<(typeof RECEIVED_VIA)[number][0]>('fax');
  const [note, setNote] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      `/api/orders/${order.orderId}/prior-authorization`,
      { number: number.trim(), receivedVia, note: note.trim() || null },
      `Prior authorization ${number.trim()} recorded; the claim is resubmitted with it.`,
    );
  };
  return (
    <ActionCard title="Record a prior authorization">
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-number`}>PA number</label>
          <input
            id={`${id}-number`}
            required
            maxLength={40}
            autoComplete="off"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-via`}>Received by</label>
          <select
            id={`${id}-via`}
            value={receivedVia}
            onChange={(e) => setReceivedVia(e.target.value as typeof receivedVia)}
          >
            {RECEIVED_VIA.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>Note (optional)</label>
          <textarea
            id={`${id}-note`}
            maxLength={500}
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <button type="submit" disabled={action.busy}>
          Record and resubmit claim
        </button>
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

const RetryIntegrationAction = ({ order, onDone, incident }: ActionProps & { incident: Incident }) => {
  const action = useAction(onDone);
  return (
    <ActionCard title={`Retry ${incident.integration}`}>
      <p>
        The calls to {incident.integration} for event{' '}
        <span className="mono">{incident.triggerEventId.slice(0, 8)}</span> failed {incident.attempts} times
        and were flagged for manual handling.
      </p>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          void action.run(
            `/api/orders/${order.orderId}/integration/retry`,
            { processManager: incident.processManager, triggerEventId: incident.triggerEventId },
            'Retry started.',
          )
        }
      >
        Retry {incident.integration} now
      </button>
      <Outcome action={action} />
    </ActionCard>
  );
};

export const ParkedEvents = ({
  items,
  onDone,
}: {
  items: ParkedEvent[];
  onDone: (confirmation: string) => void;
}) => {
  const action = useAction(onDone);
  if (items.length === 0) return null;
  return (
    <ActionCard title="Parked events">
      <p>These events failed repeatedly and wait for someone to retry them.</p>
      <ul className="parked">
        {items.map((p) => (
          <li key={`${p.subscriptionId}:${p.eventId}`}>
            <strong>{eventLabel(p.eventType)}</strong> in <span className="mono">{p.subscriptionId}</span>,
            parked {formatDateTime(p.parkedAt)} after {p.attempts} attempts:{' '}
            <span className="error-text">{p.error}</span>
            <button
              type="button"
              className="secondary"
              disabled={action.busy}
              onClick={() =>
                void action.run(
                  `/api/operations/parked/${encodeURIComponent(p.subscriptionId)}/${encodeURIComponent(p.eventId)}/retry`,
                  {},
                  `${eventLabel(p.eventType)} retried.`,
                )
              }
            >
              Retry {eventLabel(p.eventType).toLowerCase()}
            </button>
          </li>
        ))}
      </ul>
      <Outcome action={action} />
    </ActionCard>
  );
};

/** Every ops action the order's status allows, each with its own form and its own answer. */
export const ActionsPanel = ({ order, onDone }: ActionProps) => {
  const actions = availableActions(order);
  const props = { order, onDone };
  return (
    <section aria-labelledby="actions-heading" className="card actions">
      <h2 id="actions-heading">Actions</h2>
      {actions.length === 0 ? <p className="muted">No action is needed from ops in this status.</p> : null}
      {actions.includes('start-enrollment') ? <EnrollmentAction {...props} resend={false} /> : null}
      {actions.includes('resend-enrollment') ? <EnrollmentAction {...props} resend /> : null}
      {actions.includes('correct') ? <CorrectionsAction {...props} /> : null}
      {actions.includes('select-pharmacy') ? <PharmacyAction {...props} /> : null}
      {actions.includes('resubmit-claim') ? <ResubmitAction {...props} /> : null}
      {actions.includes('record-prior-authorization') ? <PriorAuthorizationAction {...props} /> : null}
      {actions.includes('accept-payment') ? <AcceptMismatchAction {...props} /> : null}
      {actions.includes('refund-mismatched-payment') ? <RefundMismatchAction {...props} /> : null}
      {actions.includes('record-delivery-status') ? <DeliveryStatusAction {...props} /> : null}
      {actions.includes('reship') ? <ReshipAction {...props} /> : null}
      {actions.includes('retry-integration')
        ? order.incidents
            .filter((i) => i.state === 'manual_handling')
            .map((incident) => (
              <RetryIntegrationAction
                key={`${incident.processManager}:${incident.triggerEventId}`}
                {...props}
                incident={incident}
              />
            ))
        : null}
      {actions.includes('correct-contact') ? <ContactAction {...props} /> : null}
      {actions.includes('refund') ? <RefundAction {...props} /> : null}
      {actions.includes('cancel') ? <CancelAction {...props} /> : null}
    </section>
  );
};
