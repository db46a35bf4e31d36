import { type FormEvent, useState } from 'react';
import { type Problem, problemOf } from '../../api/problem.js';
import { Link, navigate } from '../../app/router.js';
import { ProblemMessage } from '../../ui/components.js';
import { formatDateTime } from '../../ui/format.js';
import { useNow } from '../../ui/useNow.js';
import { mayAskToCancel, renewalDue, trackingText } from '../format.js';
import { ConsultationApiError, consultationPath, patientRequest, rememberToken } from '../patientApi.js';
import type { PatientConsultation, RenewalStarted } from '../types.js';

/** Royal Mail's parcels and their scans, per month's supply. */
export const Delivery = ({ consultation }: { consultation: PatientConsultation }) => {
  if (consultation.shipments.length === 0) return null;
  return (
    <section className="card" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">Delivery</h2>
      {consultation.shipments.map((s) => {
        const scans = consultation.tracking.filter((t) => t.supplyNumber === s.supplyNumber);
        return (
          <div
            key={`${s.supplyNumber}-${s.trackingNumber}`}
            className="shipment"
            data-tracking-number={s.trackingNumber}
          >
            <h3>
              {consultation.shipments.length > 1 || (consultation.period?.supplies ?? 1) > 1
                ? `Month ${s.supplyNumber}`
                : 'Your parcel'}
            </h3>
            <p>
              Sent {formatDateTime(s.at)} by Royal Mail, tracking number <strong>{s.trackingNumber}</strong>
            </p>
            {scans.length > 0 ? (
              <ol className="timeline" aria-label={`Tracking for month ${s.supplyNumber}`}>
                {scans.map((t) => (
                  <li key={`${t.status}-${t.at}`}>
                    <strong>{trackingText(t.status)}</strong>{' '}
                    <span className="muted">{formatDateTime(t.at)}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">No scans yet.</p>
            )}
          </div>
        );
      })}
    </section>
  );
};

/**
 * Phase 13: reorder a one-off or renew a plan on the answers on record (re-confirmed in a new
 * consultation), or, past the grace period or the 12-month limit, start a fresh consultation.
 */
export const Renewal = ({ consultation, token }: { consultation: PatientConsultation; token: string }) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [required, setRequired] = useState<string | null>(null);
  const productLink = consultation.product
    ? `/treatments/${encodeURIComponent(consultation.product.id)}`
    : '/treatments';
  const oneOff = consultation.plan?.kind === 'one_off';
  const now = useNow(60 * 60 * 1000);

  const requiredText =
    required ??
    (consultation.consultationRequired ? requiredReason(consultation.consultationRequired.reason) : null);
  if (requiredText)
    return (
      <section className="card" aria-labelledby="renewal-heading">
        <h2 id="renewal-heading">A new consultation is needed</h2>
        <p>{requiredText}</p>
        <p>
          <Link className="button" to={productLink}>
            Start a new consultation
          </Link>
        </p>
      </section>
    );
  const { possible, renewalConsultationId } = consultation.renewal;
  if (!possible && !renewalConsultationId) return null;

  const renew = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const renewal = await patientRequest<RenewalStarted>(
        'POST',
        consultationPath(consultation.consultationId, '/renewal'),
        { token },
      );
      rememberToken(renewal.consultationId, renewal.token);
      navigate(`/consultations/${encodeURIComponent(renewal.consultationId)}`);
    } catch (error) {
      if (error instanceof ConsultationApiError && error.problem.code === 'CONSULTATION_REQUIRED')
        setRequired(error.problem.detail ?? requiredReason('grace_period_expired'));
      else setProblem(problemOf(error));
      setBusy(false);
    }
  };

  const what = oneOff ? 'reorder' : 'renewal';
  // Early in a plan, renewing is not the next step: a quiet link, no heading or button.
  if (!renewalConsultationId && !renewalDue(consultation.period?.endsAt, now))
    return (
      <div className="muted renew-early" data-renewal="early">
        {oneOff ? 'Need more before this supply runs out? ' : 'Your plan has a while to run. '}
        <button type="button" className="link-button" onClick={renew} disabled={busy}>
          {oneOff ? 'Reorder early' : 'Renew early'}
        </button>
        <ProblemMessage problem={problem} />
      </div>
    );
  return (
    <section className="card" aria-labelledby="renewal-heading">
      <h2 id="renewal-heading">{oneOff ? 'Reorder' : 'Renew your plan'}</h2>
      {renewalConsultationId ? (
        <p>You have started a {what}. Continue it to re-confirm your answers and pay.</p>
      ) : (
        <p>
          You can {oneOff ? 'reorder' : 'renew'} using the answers you gave before: you re-confirm them,
          choose a plan and pay, and a clinician reviews them again.
          {consultation.graceEndsAt
            ? ` This is possible until ${formatDateTime(consultation.graceEndsAt)}.`
            : ''}
        </p>
      )}
      <ProblemMessage problem={problem} />
      <button type="button" onClick={renew} disabled={busy}>
        {renewalConsultationId ? `Continue your ${what}` : oneOff ? 'Reorder' : 'Renew my plan'}
      </button>
    </section>
  );
};

const requiredReason = (reason: string) =>
  reason === 'twelve_month_limit'
    ? 'This treatment has reached its 12-month limit: please complete a new consultation.'
    : 'Your answers have expired: please complete a new consultation.';

export const Cancellation = ({
  consultation,
  token,
  onRequested,
}: {
  consultation: PatientConsultation;
  token: string;
  onRequested(): void;
}) => {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (!mayAskToCancel(consultation)) return null;
  if (consultation.cancellationRequested)
    return (
      <section className="card" aria-labelledby="cancel-heading">
        <h2 id="cancel-heading">Cancellation</h2>
        <p className="notice" role="status">
          You have asked us to cancel. The pharmacy team will cancel and refund you, or contact you if your
          order has already left.
        </p>
      </section>
    );

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await patientRequest('POST', consultationPath(consultation.consultationId, '/cancellation'), {
        token,
        body: { message: message.trim() },
      });
      onRequested();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancellation</h2>
      <details>
        <summary>Ask to cancel this order</summary>
        <form onSubmit={send} className="stack">
          <p className="hint">
            Your message goes to the pharmacy team. If nothing has been sent yet, they cancel and refund you
            in full.
          </p>
          <div className="field">
            <label htmlFor="cancel-message">Why do you want to cancel?</label>
            <textarea
              id="cancel-message"
              rows={3}
              required
              maxLength={2000}
              value={message}
              onChange={(event) => setMessage(event.target.value)}
            />
          </div>
          <ProblemMessage problem={problem} />
          <button type="submit" className="danger" disabled={busy || !message.trim()}>
            Ask to cancel
          </button>
        </form>
      </details>
    </section>
  );
};
