import { type FormEvent, useId, useState } from 'react';
import { api } from '../../api/client.js';
import { Link } from '../../app/router.js';
import { ConfirmStep, useConfirmStep } from '../../orders/actionParts.js';
import { Timeline } from '../../orders/sections.js';
import { useAction } from '../../orders/useAction.js';
import { Fact, Facts, Loading, PageHeading, ProblemMessage, StatusBadge } from '../../ui/components.js';
import { formatDateTime } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import { answerText, electronicCheckText, formatPence, planName, trackingText } from '../format.js';
import { MessageThread } from '../MessageThread.js';
import type {
  ConsultationHistory,
  ConsultationStatus,
  PharmacyCase,
  StockItem,
  StockList,
} from '../types.js';
import { dispatchBlockers } from './dispatch.js';
import {
  ActionCard,
  OverlapBanner,
  PendingMarker,
  Section,
  STAFF_NAMES,
  SuccessNote,
  TextField,
  useLiveConsultations,
} from './shared.js';

type Done = (confirmation: string) => void;
type Props = { c: PharmacyCase; onDone: Done };

const path = (id: string, rest: string) => `/api/pharmacy/consultations/${encodeURIComponent(id)}${rest}`;
const DAY = 24 * 60 * 60 * 1000;
const AWAITING_DECISION: readonly ConsultationStatus[] = [
  'awaiting_id_verification',
  'id_document_requested',
  'id_manual_review',
  'in_clinical_review',
  'awaiting_response',
];
const CLOSED: readonly ConsultationStatus[] = [
  'cancelled',
  'refunded',
  'rejected',
  'abandoned',
  'auto_denied',
];

/** Phases 9–11: the slip, then packing (one unit off the shelf) and booking Royal Mail. */
const Dispensing = ({ c, onDone, stock }: Props & { stock: StockItem | undefined }) => {
  const action = useAction(onDone);
  const [acknowledged, setAcknowledged] = useState(false);
  const id = useId();
  const supply = c.supply;
  const blockers = dispatchBlockers(c, stock);
  const overlap = c.flags.renewalOverlap;
  const packing = supply?.packed && !supply.shipmentId;
  const dispatch = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      path(c.consultationId, '/pack'),
      { acknowledgeRenewalOverlap: acknowledged },
      'Packed: Royal Mail is being booked.',
    );
  };
  return (
    <Section
      title={`Dispense supply ${supply?.number ?? ''}${c.period ? ` of ${c.period.suppliesTotal}` : ''}`}
      className="dispensing"
    >
      <Facts>
        <Fact term="Authorisation">
          {c.prescription
            ? `Prescription ${c.prescription.id}${c.prescription.signedAt ? `, signed ${formatDateTime(c.prescription.signedAt)}` : ', not signed yet'}`
            : c.decision?.outcome === 'approved'
              ? `Pharmacist approval, ${formatDateTime(c.decision.at)}`
              : null}
        </Fact>
        <Fact term="GP letter">
          {c.gpLetter ? `Sent ${formatDateTime(c.gpLetter.sentAt)}` : 'Not sent yet'}
        </Fact>
        <Fact term="PMR (TitanPMR)">
          {c.pmr ? (
            <span data-pmr="synced">
              Synced{c.pmr.method === 'manual_export' ? ' by manual export' : ''}: patient{' '}
              {c.pmr.pmrPatientId}, {formatDateTime(c.pmr.at)}
            </span>
          ) : c.incidents.some((i) => i.integration === 'titanpmr') ? (
            <span className="flag flag-pending" data-pmr="waiting">
              Waiting: TitanPMR unavailable
            </span>
          ) : (
            <span data-pmr="pending">Syncing…</span>
          )}
        </Fact>
        <Fact term="Dispensing slip">
          {supply?.slipId ? <span data-slip="printed">Printed ({supply.slipId})</span> : 'Not printed yet'}
        </Fact>
        <Fact term="Stock on hand">
          {stock ? (
            <span className={stock.outOfStock ? 'error-text' : stock.low ? 'warn-text' : undefined}>
              {stock.onHand}
              {stock.outOfStock ? ' — out of stock' : stock.low ? ' — low' : ''}
            </span>
          ) : null}
        </Fact>
        {c.product?.coldChain ? <Fact term="Packing">Cold chain: pack chilled</Fact> : null}
      </Facts>
      {supply?.blockedOutOfStockAt ? (
        <p className="problem" role="alert">
          Dispatch was blocked {formatDateTime(supply.blockedOutOfStockAt)}: out of stock. Book stock in, then
          dispatch again.
        </p>
      ) : null}
      {c.status === 'dispatch_pending' && !supply?.packed ? (
        <>
          <p>
            <a
              className="button secondary"
              href={path(c.consultationId, '/slip')}
              target="_blank"
              rel="noreferrer"
              // Opening the PDF records nothing (a prefetch must not); this click says it was printed.
              onClick={() =>
                void action.run(
                  path(c.consultationId, '/slip/printed'),
                  {},
                  'Dispensing slip opened and recorded as printed.',
                )
              }
            >
              Print dispensing slip (PDF)
            </a>
          </p>
          <form onSubmit={dispatch} className="stack">
            {overlap ? (
              <div className="choice">
                <input
                  id={`${id}-ack`}
                  type="checkbox"
                  required
                  checked={acknowledged}
                  onChange={(event) => setAcknowledged(event.target.checked)}
                />
                <label htmlFor={`${id}-ack`}>
                  I have checked the renewal overlap: overlapping supply is appropriate for this patient.
                </label>
              </div>
            ) : null}
            {blockers.length > 0 ? (
              <ul className="blockers" id={`${id}-blockers`} aria-label="Why dispatch is not possible yet">
                {blockers.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            ) : null}
            <button
              type="submit"
              disabled={action.busy || blockers.length > 0}
              aria-describedby={blockers.length > 0 ? `${id}-blockers` : undefined}
            >
              Dispatch: pack and book Royal Mail
            </button>
            <ProblemMessage problem={action.problem} />
          </form>
        </>
      ) : packing ? (
        <p role="status">Packed. Booking the parcel with Royal Mail…</p>
      ) : c.status === 'prescribed' ? (
        <p className="muted">Waiting for the patient record to reach TitanPMR before dispensing.</p>
      ) : null}
    </Section>
  );
};

const TRACKING_STATUSES = ['in_transit', 'out_for_delivery', 'delivered', 'failed', 'returned'] as const;

const Delivery = ({ c, onDone }: Props) => {
  const tracking = useAction(onDone);
  const failure = useAction(onDone);
  const [status, setStatus] = useState<string>('delivered');
  const [resolution, setResolution] = useState<'redispatch' | 'contact_patient' | 'refund'>('redispatch');
  const [note, setNote] = useState('');
  const id = useId();
  if (c.shipments.length === 0 && c.status !== 'delivery_failed') return null;
  const current = c.supply?.shipmentId;
  return (
    <Section title="Delivery">
      {c.shipments.map((s) => (
        <div key={s.shipmentId} className="shipment" data-tracking-number={s.trackingNumber}>
          <h3>Supply {s.supplyNumber}</h3>
          <p>
            Royal Mail {s.service}, tracking <strong>{s.trackingNumber}</strong>, booked{' '}
            {formatDateTime(s.at)}
            {s.shipmentId === current ? (
              <>
                {' · '}
                <a href={path(c.consultationId, '/label')} target="_blank" rel="noreferrer">
                  Label (PDF)
                </a>
              </>
            ) : null}
          </p>
          <ol className="timeline" aria-label={`Tracking for supply ${s.supplyNumber}`}>
            {c.tracking
              .filter((t) => t.supplyNumber === s.supplyNumber)
              .map((t) => (
                <li key={`${t.status}-${t.at}`}>
                  <strong>{trackingText(t.status)}</strong> {formatDateTime(t.at)}{' '}
                  <span className="muted">
                    ({t.source === 'royal_mail' ? 'Royal Mail' : 'entered by staff'})
                  </span>
                  {t.details ? <p>{t.details}</p> : null}
                </li>
              ))}
          </ol>
        </div>
      ))}
      {c.deliveryActions.length > 0 ? (
        <>
          <h3>Actions taken</h3>
          <ul>
            {c.deliveryActions.map((a) => (
              <li key={`${a.action}-${a.at}`}>
                {a.action === 'redispatch' ? 'Re-dispatch' : 'Patient contacted'} ({formatDateTime(a.at)}):{' '}
                {a.note}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {c.status === 'dispatched' ? (
        <ActionCard title="Enter a delivery status by hand">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              void tracking.run(
                path(c.consultationId, '/tracking'),
                { status, details: null },
                'Delivery status recorded.',
              );
            }}
          >
            <p className="hint">Only when Royal Mail’s updates do not arrive.</p>
            <div className="field">
              <label htmlFor={`${id}-status`}>Status</label>
              <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value)}>
                {TRACKING_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {trackingText(s)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="secondary" disabled={tracking.busy}>
              Record status
            </button>
            <ProblemMessage problem={tracking.problem} />
          </form>
        </ActionCard>
      ) : null}
      {c.status === 'delivery_failed' ? (
        <ActionCard title="Resolve the failed delivery">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              void failure.run(
                path(c.consultationId, '/delivery-failure'),
                { action: resolution, note: note.trim() },
                resolution === 'redispatch'
                  ? 'Back in the dispensing queue: pack and dispatch it again.'
                  : resolution === 'refund'
                    ? 'Refund requested.'
                    : 'The patient has been contacted.',
              );
            }}
          >
            <fieldset>
              <legend>Action</legend>
              {(
                [
                  ['redispatch', 'Re-dispatch (pack and book again)'],
                  ['contact_patient', 'Contact the patient (e-mail)'],
                  ['refund', 'Refund this month'],
                ] as const
              ).map(([value, label]) => (
                <div className="choice" key={value}>
                  <input
                    type="radio"
                    id={`${id}-${value}`}
                    name={`${id}-resolution`}
                    checked={resolution === value}
                    onChange={() => setResolution(value)}
                  />
                  <label htmlFor={`${id}-${value}`}>{label}</label>
                </div>
              ))}
            </fieldset>
            <TextField
              id={`${id}-note`}
              label={resolution === 'contact_patient' ? 'Message to the patient' : 'Note'}
              value={note}
              onChange={setNote}
            />
            <button
              type="submit"
              className={resolution === 'refund' ? 'danger' : undefined}
              disabled={failure.busy}
            >
              {resolution === 'redispatch'
                ? 'Re-dispatch'
                : resolution === 'refund'
                  ? 'Refund'
                  : 'Contact patient'}
            </button>
            <ProblemMessage problem={failure.problem} />
          </form>
        </ActionCard>
      ) : null}
    </Section>
  );
};

const IdReview = ({ c, onDone }: Props) => {
  const action = useAction(onDone);
  const [outcome, setOutcome] = useState<'pass' | 'fail'>('pass');
  const [reason, setReason] = useState('');
  const id = useId();
  const document = c.identity.document;
  return (
    <Section title="Identity check">
      <Facts>
        {c.identity.electronic.map((e) => (
          <Fact key={e.reference} term="Electronic check">
            {electronicCheckText(e.outcome)} ({e.reference}), {formatDateTime(e.at)}
          </Fact>
        ))}
        <Fact term="Photo ID">
          {document ? (
            <a href={path(c.consultationId, '/id-document')} target="_blank" rel="noreferrer">
              Open the uploaded document ({document.contentType})
            </a>
          ) : (
            'Not uploaded yet'
          )}
        </Fact>
        <Fact term="Name given">{c.patient ? `${c.patient.firstName} ${c.patient.lastName}` : null}</Fact>
        <Fact term="Date of birth given">{answerText(c.patient?.dateOfBirth)}</Fact>
      </Facts>
      {document?.contentType.startsWith('image/') ? (
        <img
          className="card-preview"
          src={path(c.consultationId, '/id-document')}
          alt="The identity document the patient uploaded"
        />
      ) : null}
      {c.status === 'id_manual_review' ? (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void action.run(
              path(c.consultationId, '/id-review'),
              { outcome, reason: reason.trim() },
              outcome === 'pass'
                ? 'Identity confirmed: the case goes to clinical review.'
                : 'Identity rejected: the patient is refunded.',
            );
          }}
        >
          <fieldset>
            <legend>Outcome</legend>
            {(['pass', 'fail'] as const).map((value) => (
              <div className="choice" key={value}>
                <input
                  type="radio"
                  id={`${id}-${value}`}
                  name={`${id}-outcome`}
                  checked={outcome === value}
                  onChange={() => setOutcome(value)}
                />
                <label htmlFor={`${id}-${value}`}>
                  {value === 'pass'
                    ? 'The ID matches the patient'
                    : 'The ID does not match (reject and refund)'}
                </label>
              </div>
            ))}
          </fieldset>
          <TextField id={`${id}-reason`} label="Reason" value={reason} onChange={setReason} rows={2} />
          <button type="submit" className={outcome === 'fail' ? 'danger' : undefined} disabled={action.busy}>
            Record the identity decision
          </button>
          <ProblemMessage problem={action.problem} />
        </form>
      ) : null}
    </Section>
  );
};

/** A reason and one button: cancel, cancel remaining instalments. */
const ReasonAction = ({
  c,
  onDone,
  title,
  rest,
  button,
  confirmation,
  intro,
}: Props & { title: string; rest: string; button: string; confirmation: string; intro?: string }) => {
  const action = useAction(onDone);
  const [reason, setReason] = useState('');
  const id = useId();
  // Each of these ends something and moves money: ask before sending.
  const confirm = useConfirmStep<string>();
  const send = async (value: string) => {
    const ok = await action.run(path(c.consultationId, rest), { reason: value }, confirmation);
    if (ok) confirm.done();
    else confirm.back();
  };
  return (
    <ActionCard title={title}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          confirm.ask(reason.trim());
        }}
      >
        {intro ? <p>{intro}</p> : null}
        <TextField id={`${id}-reason`} label="Reason" value={reason} onChange={setReason} rows={2} />
        {confirm.pending === null ? (
          <button type="submit" className="danger" ref={confirm.askedFrom} disabled={action.busy}>
            {button}
          </button>
        ) : (
          <ConfirmStep
            question={`${button}?`}
            consequence="This cannot be undone."
            confirmLabel={`Yes, ${button.charAt(0).toLowerCase()}${button.slice(1)}`}
            busy={action.busy}
            onConfirm={() => void send(confirm.pending!)}
            onBack={confirm.back}
          />
        )}
        <ProblemMessage problem={action.problem} />
      </form>
    </ActionCard>
  );
};

/** One button, no body: timeouts, abandoned drafts, a charge retried. */
const ButtonAction = ({
  c,
  onDone,
  title,
  rest,
  button,
  confirmation,
  intro,
  danger,
}: Props & {
  title: string;
  rest: string;
  button: string;
  confirmation: string;
  intro: string;
  danger?: boolean;
}) => {
  const action = useAction(onDone);
  return (
    <ActionCard title={title}>
      <p>{intro}</p>
      <button
        type="button"
        className={danger ? 'danger' : undefined}
        disabled={action.busy}
        onClick={() => void action.run(path(c.consultationId, rest), {}, confirmation)}
      >
        {button}
      </button>
      <ProblemMessage problem={action.problem} />
    </ActionCard>
  );
};

const Incidents = ({ c, onDone }: Props) => {
  const retry = useAction(onDone);
  const pmr = useAction(onDone);
  const [pmrId, setPmrId] = useState('');
  const id = useId();
  if (c.incidents.length === 0) return null;
  return (
    <Section title="Partner systems" className="flagged">
      <ul className="incidents">
        {c.incidents.map((i) => (
          <li key={`${i.processManager}-${i.triggerEventId}`}>
            <p>
              <strong>{i.integration}</strong>:{' '}
              <span className="flag flag-pending">
                {i.state === 'manual_handling' ? 'Manual handling required' : 'Pending (API Unavailable)'}
              </span>{' '}
              after {i.attempts} attempt{i.attempts === 1 ? '' : 's'}
              {i.nextAttemptAt ? `; next try ${formatDateTime(i.nextAttemptAt)}` : ''}.
            </p>
            <p className="hint">Last error: {i.lastError}</p>
            {i.state === 'manual_handling' ? (
              <button
                type="button"
                className="secondary"
                disabled={retry.busy}
                onClick={() =>
                  void retry.run(
                    path(c.consultationId, '/integration/retry'),
                    { processManager: i.processManager, triggerEventId: i.triggerEventId },
                    `Retrying ${i.integration}.`,
                  )
                }
              >
                Retry {i.integration} now
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <ProblemMessage problem={retry.problem} />
      {!c.pmr && c.status === 'prescribed' && c.incidents.some((i) => i.integration === 'titanpmr') ? (
        <ActionCard title="Record a manual PMR export">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              void pmr.run(
                path(c.consultationId, '/pmr/manual-export'),
                { pmrPatientId: pmrId.trim() },
                'Manual PMR export recorded.',
              );
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-pmr`}>TitanPMR patient id</label>
              <input
                id={`${id}-pmr`}
                required
                maxLength={64}
                value={pmrId}
                onChange={(event) => setPmrId(event.target.value)}
              />
            </div>
            <button type="submit" className="secondary" disabled={pmr.busy}>
              Record export
            </button>
            <ProblemMessage problem={pmr.problem} />
          </form>
        </ActionCard>
      ) : null}
    </Section>
  );
};

/** The pharmacy team's view of one consultation, with every action its status allows. */
export const PharmacyCasePage = ({ consultationId }: { consultationId: string }) => {
  const [notice, setNotice] = useState<string | null>(null);
  const detail = useResource(
    (signal) => api.get<PharmacyCase>(path(consultationId, ''), { signal }),
    [consultationId],
  );
  const history = useResource(
    (signal) => api.get<ConsultationHistory>(path(consultationId, '/events'), { signal }),
    [consultationId],
  );
  const stock = useResource((signal) => api.get<StockList>('/api/pharmacy/stock', { signal }), []);
  const reload = () => {
    detail.reload();
    history.reload();
    stock.reload();
  };
  useLiveConsultations(reload, { consultationId });
  const onDone = (confirmation: string) => {
    setNotice(confirmation);
    reload();
  };

  const c = detail.data;
  const productStock = stock.data?.items.find((s) => s.productId === c?.product?.productId);
  const cancellationMessage = history.data?.events.findLast((e) => e.type === 'CancellationRequested')
    ?.data as { message?: string } | undefined;
  const props = c ? { c, onDone } : null;
  const stalled =
    c &&
    AWAITING_DECISION.includes(c.status) &&
    c.lastActivityAt &&
    Date.now() - Date.parse(c.lastActivityAt) >= 30 * DAY;

  return (
    <main id="main" className="page">
      <p className="breadcrumb">
        <Link to="/pharmacy">← Pharmacy queue</Link>
      </p>
      <PageHeading>
        {c
          ? `${c.patient ? `${c.patient.firstName} ${c.patient.lastName}` : 'Patient'} — ${c.product?.name ?? 'consultation'}`
          : 'Consultation'}
      </PageHeading>
      <ProblemMessage problem={detail.problem} />
      {!c || !props ? (
        detail.problem ? null : (
          <Loading what="the consultation" />
        )
      ) : (
        <>
          {c.flags.renewalOverlap ? <OverlapBanner overlap={c.flags.renewalOverlap} /> : null}
          <div className="order-summary">
            <StatusBadge status={c.status} />
            <span>since {formatDateTime(c.statusSince)}</span>
            <span className="mono">{c.consultationId}</span>
            <PendingMarker pending={c.pending} />
            {c.flags.repeatSubmission ? <span className="flag flag-issue">Repeat submission</span> : null}
          </div>
          <div className="detail-grid">
            <div className="detail-main">
              <Incidents {...props} />
              {c.status === 'prescribed' || c.status === 'dispatch_pending' ? (
                <Dispensing {...props} stock={productStock} />
              ) : null}
              <Delivery {...props} />
              {c.identity.document || c.status === 'id_manual_review' ? <IdReview {...props} /> : null}
              <Section title="Patient">
                <Facts>
                  <Fact term="Name">{c.patient ? `${c.patient.firstName} ${c.patient.lastName}` : null}</Fact>
                  <Fact term="Address">
                    {c.patient
                      ? [
                          c.patient.address.line1,
                          c.patient.address.line2,
                          c.patient.address.town,
                          c.patient.address.postcode,
                        ]
                          .filter(Boolean)
                          .join(', ')
                      : null}
                  </Fact>
                  <Fact term="Email">{c.patient?.email}</Fact>
                  <Fact term="Phone">{c.patient?.phone}</Fact>
                </Facts>
              </Section>
              <Section title="Plan and payments">
                <Facts>
                  <Fact term="Treatment">{c.product ? `${c.product.name} (${c.product.kind})` : null}</Fact>
                  <Fact term="Plan">{c.plan ? planName(c.plan) : null}</Fact>
                  <Fact term="Monthly price">{formatPence(c.price?.monthlyPence)}</Fact>
                  <Fact term="Charges taken">
                    {c.charges.length > 0
                      ? c.charges.map((ch) => `#${ch.number} ${formatPence(ch.amountPence)}`).join(', ')
                      : null}
                  </Fact>
                  {c.period ? (
                    <Fact term="Plan period">
                      {formatDateTime(c.period.startsAt)} to {formatDateTime(c.period.endsAt)} (
                      {c.suppliesDispatched} of {c.period.suppliesTotal} dispatched)
                    </Fact>
                  ) : null}
                  {c.instalmentCharges.some((ch) => !ch.ok) ? (
                    <Fact term="Failed monthly charges">
                      {c.instalmentCharges
                        .filter((ch) => !ch.ok)
                        .map((ch) => `#${ch.chargeNumber} ${ch.failureCode ?? ''} (${formatDateTime(ch.at)})`)
                        .join('; ')}
                    </Fact>
                  ) : null}
                  {c.refund ? (
                    <Fact term="Refund">
                      {formatPence(c.refund.amountPence)} ({c.refund.reason.replaceAll('_', ' ')}),{' '}
                      {c.refund.confirmed
                        ? `confirmed ${formatDateTime(c.refund.confirmed.confirmedAt)}`
                        : 'waiting for Stripe'}
                    </Fact>
                  ) : null}
                  {c.refundsFailed.length > 0 ? (
                    <Fact term="Refund failed">
                      {c.refundsFailed.map((r) => r.reason ?? r.refundId).join('; ')}
                    </Fact>
                  ) : null}
                  {c.cancellation ? (
                    <Fact term="Closed">
                      {c.cancellation.reason} ({formatDateTime(c.cancellation.at)})
                    </Fact>
                  ) : null}
                </Facts>
              </Section>
              {c.messages.length > 0 || c.decision ? (
                <Section title="Clinical decision and messages">
                  {c.decision ? (
                    <p>
                      <strong>{c.decision.outcome === 'approved' ? 'Approved' : 'Denied'}</strong> by{' '}
                      {c.decision.role}, {formatDateTime(c.decision.at)}
                      {c.decision.note ? `: ${c.decision.note}` : ''}
                    </p>
                  ) : null}
                  <MessageThread messages={c.messages} names={STAFF_NAMES} />
                </Section>
              ) : null}
            </div>
            <div className="detail-side">
              <SuccessNote text={notice} />
              <section className="card actions" aria-labelledby="team-actions-heading">
                <h2 id="team-actions-heading">Team actions</h2>
                {c.flags.cancellationRequestedAt && !CLOSED.includes(c.status) ? (
                  <ReasonAction
                    {...props}
                    title="Cancellation requested"
                    intro={`The patient asked to cancel (${formatDateTime(c.flags.cancellationRequestedAt)})${
                      cancellationMessage?.message ? `: “${cancellationMessage.message}”` : '.'
                    }`}
                    rest="/cancel"
                    button="Cancel and refund"
                    confirmation="Cancelled: the refund is on its way."
                  />
                ) : null}
                {stalled ? (
                  <ButtonAction
                    {...props}
                    title="No activity for 30 days"
                    intro={`Nothing has happened since ${formatDateTime(c.lastActivityAt)}. You may close the case and refund the patient.`}
                    rest="/timeout"
                    button="Close and refund"
                    confirmation="Closed as timed out: the refund is on its way."
                    danger
                  />
                ) : null}
                {c.status === 'draft' && c.flags.draftInactiveSince ? (
                  <ButtonAction
                    {...props}
                    title="Inactive draft"
                    intro={`The patient has not saved an answer since ${formatDateTime(c.flags.draftInactiveSince)}. A draft can be abandoned 30 days after its last save.`}
                    rest="/abandon"
                    button="Abandon the draft"
                    confirmation="Draft abandoned."
                  />
                ) : null}
                {c.status === 'instalment_paused' ? (
                  <>
                    <ButtonAction
                      {...props}
                      title="Instalment paused"
                      intro="The monthly charge failed, so dispatch is paused. Retry the charge once the patient has sorted their card."
                      rest="/instalments/retry"
                      button="Retry the monthly charge now"
                      confirmation="Charge retried."
                    />
                    <ReasonAction
                      {...props}
                      title="Cancel the remaining instalments"
                      rest="/instalments/cancel"
                      button="Cancel remaining instalments"
                      confirmation="Remaining instalments cancelled: the plan ends with the last paid month."
                    />
                  </>
                ) : null}
                {!c.flags.cancellationRequestedAt &&
                !stalled &&
                c.status !== 'instalment_paused' &&
                !(c.status === 'draft' && c.flags.draftInactiveSince) ? (
                  <p className="muted">No exception to handle. Dispensing and delivery are on the left.</p>
                ) : null}
              </section>
              <ProblemMessage problem={history.problem} />
              {history.data ? <Timeline events={history.data.events} /> : null}
            </div>
          </div>
        </>
      )}
    </main>
  );
};
