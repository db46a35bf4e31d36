import { useEffect, useState } from 'react';
import { Link, navigate } from '../../app/router.js';
import { LinkProblemPage, PatientPage } from '../../patient/PatientLayout.js';
import { Fact, Facts, Loading, PageHeading, ProblemMessage, StatusBadge } from '../../ui/components.js';
import { formatDateTime } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import { formatPence, patientStatusText, planName } from '../format.js';
import { consultationPath, patientRequest, rememberToken, tokenFor } from '../patientApi.js';
import type { ConsultationStatus, PatientConsultation } from '../types.js';
import { Wizard } from '../wizard/Wizard.js';
import { Cancellation, Delivery, Renewal } from './AfterCare.js';
import { IdDocumentUpload } from './IdDocumentUpload.js';
import { Messages } from './Messages.js';
import { PlanChoice } from './PlanChoice.js';

/** Nothing more will happen by itself: no need to look again. */
const SETTLED: readonly ConsultationStatus[] = [
  'draft',
  'auto_denied',
  'refunded',
  'abandoned',
  'consultation_required',
  'plan_completed',
];

const fragmentToken = () => new URLSearchParams(window.location.hash.slice(1)).get('token');

const NO_LINK = {
  heading: 'Open your consultation from your e-mail',
  text: 'For your privacy this page needs the link we e-mailed you when you started. Open it from your most recent e-mail from the pharmacy.',
};

/**
 * The patient's consultation, from the first question to the parcel at the door: the page shows
 * what the consultation's status asks of the patient (answer, pay, upload an ID, reply) and what
 * has happened. The key arrives in the URL at most once and is moved out of it at once.
 */
export const ConsultationPage = ({
  consultationId,
  urlToken,
  justPaid,
}: {
  consultationId: string;
  urlToken: string | null;
  justPaid: boolean;
}) => {
  // E-mailed links carry the key in the fragment (never sent to a server); older ones in the query.
  const [arrived] = useState(() => urlToken ?? fragmentToken());
  const [token] = useState(() => {
    if (arrived) rememberToken(consultationId, arrived);
    return tokenFor(consultationId);
  });
  useEffect(() => {
    if (!arrived) return;
    if (window.location.hash)
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    navigate(`/consultations/${encodeURIComponent(consultationId)}${justPaid ? '?paid=1' : ''}`, {
      replace: true,
    });
  }, [arrived, consultationId, justPaid]);

  const [idUploaded, setIdUploaded] = useState(false);
  const consultation = useResource(
    (signal) =>
      token
        ? patientRequest<PatientConsultation>('GET', consultationPath(consultationId), { token, signal })
        : Promise.resolve(undefined),
    [consultationId, token],
  );

  // No live socket for patients: look again while something is moving on the pharmacy's side.
  const status = consultation.data?.status;
  const { reload } = consultation;
  useEffect(() => {
    if (!status || SETTLED.includes(status)) return;
    if (status === 'awaiting_payment' && !justPaid) return;
    const timer = setInterval(reload, status === 'awaiting_payment' ? 1_500 : 3_000);
    return () => clearInterval(timer);
  }, [status, justPaid, reload]);

  if (!token) return <LinkProblemPage flow="uk" problem={NO_LINK} />;
  if (consultation.problem?.status === 401 || consultation.problem?.status === 404)
    return (
      <LinkProblemPage
        flow="uk"
        problem={{
          heading: 'This link is not valid',
          text: 'Links to your consultation work for a limited time. Open the one in your most recent e-mail from the pharmacy, or ask for a new one below.',
        }}
        offerNewLink
      />
    );
  const c = consultation.data;
  if (!c)
    return (
      <PatientPage flow="uk">
        <PageHeading>Your consultation</PageHeading>
        {consultation.problem ? (
          <ProblemMessage problem={consultation.problem} />
        ) : (
          <Loading what="your consultation" />
        )}
      </PatientPage>
    );

  if (c.status === 'auto_denied')
    return (
      <PatientPage flow="uk">
        <PageHeading>This treatment is not suitable for you</PageHeading>
        <p className="status-text" data-outcome="auto-denied">
          {c.outcome?.message ?? 'Please speak to your GP about other options.'}
        </p>
        <p>You have not been charged.</p>
        <p>
          <Link to="/treatments">See other treatments</Link>
        </p>
      </PatientPage>
    );

  if (c.status === 'draft' && c.questionnaire)
    return (
      <PatientPage flow="uk">
        <PageHeading>{c.renewalOf ? 'Re-confirm your consultation' : 'Your consultation'}</PageHeading>
        <p className="muted">{c.product?.name}</p>
        <Wizard
          key={c.questionnaire.version}
          consultationId={c.consultationId}
          token={token}
          questionnaire={c.questionnaire}
          saved={c.answers}
          renewal={c.renewalOf !== null}
          onSubmitted={reload}
        />
      </PatientPage>
    );

  return (
    <PatientPage flow="uk">
      <PageHeading>Your consultation</PageHeading>
      <section className="card" aria-labelledby="status-heading" data-status={c.status}>
        <h2 id="status-heading">Status</h2>
        <p>
          <StatusBadge status={c.status} />{' '}
          <span className="muted">since {formatDateTime(c.statusSince)}</span>
        </p>
        <p className="status-text">{patientStatusText(c.status)}</p>
        {c.pending ? (
          <p className="notice">
            We are waiting on one of our partners’ systems. Nothing is needed from you: it carries on by
            itself.
          </p>
        ) : null}
        <Facts>
          <Fact term="Treatment">{c.product?.name}</Fact>
          <Fact term="Plan">{c.plan ? planName(c.plan) : null}</Fact>
          <Fact term="Price">
            {c.plan && c.price
              ? c.plan.kind === 'one_off'
                ? formatPence(c.price.totalPence)
                : `${formatPence(c.price.monthlyPence)} a month`
              : null}
          </Fact>
          {c.period ? (
            <Fact term="Plan runs">
              {formatDateTime(c.period.startsAt)} to {formatDateTime(c.period.endsAt)}
            </Fact>
          ) : null}
          {c.refund ? (
            <Fact term="Refund">
              {formatPence(c.refund.amountPence)}{' '}
              {c.refund.confirmed ? 'refunded to your card' : 'being refunded'}
            </Fact>
          ) : null}
        </Facts>
      </section>

      {c.status === 'awaiting_payment' ? (
        <PlanChoice consultation={c} token={token} justPaid={justPaid} />
      ) : null}
      {c.idDocumentRequested || idUploaded ? (
        <IdDocumentUpload
          consultationId={c.consultationId}
          token={token}
          onUploaded={() => {
            // Keep the confirmation (and the preview) on screen once the status moves on.
            setIdUploaded(true);
            reload();
          }}
        />
      ) : null}
      {c.messages.length > 0 || c.status === 'awaiting_response' ? (
        <Messages consultation={c} token={token} onReplied={reload} />
      ) : null}
      <Delivery consultation={c} />
      <Renewal consultation={c} token={token} />
      <Cancellation consultation={c} token={token} onRequested={reload} />
    </PatientPage>
  );
};
