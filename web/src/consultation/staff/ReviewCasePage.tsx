import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { api } from '../../api/client.js';
import { Link } from '../../app/router.js';
import { ConfirmStep, useConfirmStep } from '../../orders/actionParts.js';
import { useAction } from '../../orders/useAction.js';
import { Fact, Facts, Loading, PageHeading, ProblemMessage, StatusBadge } from '../../ui/components.js';
import { formatDateTime, webLink } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import { answerText, computedBmi, planName } from '../format.js';
import { MessageThread } from '../MessageThread.js';
import type { ProductDetail, Question, ReviewCase } from '../types.js';
import {
  ActionCard,
  OverlapBanner,
  PendingMarker,
  RepeatSubmission,
  Section,
  STAFF_NAMES,
  SuccessNote,
  TextField,
  useLiveConsultations,
} from './shared.js';

type Done = (confirmation: string) => void;

/** What an action did, said from the status the case was in (`from`) until the one after it. */
type Notice = { text: string; from: string | null; reached?: string };

const casePath = (id: string, action: string) => `/api/review/cases/${encodeURIComponent(id)}/${action}`;

const Approve = ({ c, onDone }: { c: ReviewCase; onDone: Done }) => {
  const action = useAction(onDone);
  // Remembered per clinician: their number from their last approval (they can still change it).
  const [registration, setRegistration] = useState(c.yourRegistrationNumber ?? '');
  const [notes, setNotes] = useState('');
  const id = useId();
  const pom = c.queue === 'prescriber';
  // Approving cannot be taken back: the prescription or the supply goes ahead. Ask first.
  const confirm = useConfirmStep<{ registrationNumber: string; notes: string }>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.ask({ registrationNumber: registration.trim(), notes: notes.trim() });
  };
  const send = async (body: { registrationNumber: string; notes: string }) => {
    const ok = await action.run(
      casePath(c.consultationId, 'approve'),
      body,
      pom
        ? 'Approved: the prescription is being created in SignatureRx for you to sign.'
        : 'Approved: the pharmacy team has been told to dispense.',
    );
    if (ok) confirm.done();
    else confirm.back();
  };
  return (
    <ActionCard title="Approve">
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-reg`}>{pom ? 'Your GMC number' : 'Your GPhC number'}</label>
          <p className="hint" id={`${id}-reg-hint`}>
            Seven digits; printed on the {pom ? 'prescription and the ' : ''}GP letter.
          </p>
          <input
            id={`${id}-reg`}
            className="medium"
            inputMode="numeric"
            autoComplete="off"
            required
            pattern="\d{7}"
            maxLength={7}
            aria-describedby={`${id}-reg-hint`}
            value={registration}
            onChange={(event) => setRegistration(event.target.value)}
          />
        </div>
        <TextField
          id={`${id}-notes`}
          label="Clinical notes (optional)"
          required={false}
          value={notes}
          onChange={setNotes}
          rows={2}
        />
        {confirm.pending === null ? (
          <button type="submit" ref={confirm.askedFrom} disabled={action.busy}>
            {pom ? 'Approve and create prescription' : 'Approve supply'}
          </button>
        ) : (
          <ConfirmStep
            question={pom ? 'Approve and create the prescription?' : 'Approve the supply?'}
            consequence={
              pom
                ? 'A prescription is created in SignatureRx in your name; once you sign it, it is final.'
                : 'The pharmacy team is told to dispense. This cannot be undone here.'
            }
            confirmLabel="Yes, approve"
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

const RequestInformation = ({ c, onDone }: { c: ReviewCase; onDone: Done }) => {
  const action = useAction(onDone);
  const [question, setQuestion] = useState('');
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (
      await action.run(
        casePath(c.consultationId, 'request-information'),
        { question: question.trim() },
        'Question sent: the case waits for the patient’s reply.',
      )
    )
      setQuestion('');
  };
  return (
    <ActionCard title="Request more information">
      <form onSubmit={submit} className="stack">
        <TextField
          id={`${id}-question`}
          label="Question for the patient"
          hint="The patient reads this and replies; the case pauses until they do."
          value={question}
          onChange={setQuestion}
        />
        <button type="submit" className="secondary" disabled={action.busy}>
          Send question
        </button>
        <ProblemMessage problem={action.problem} />
      </form>
    </ActionCard>
  );
};

const Deny = ({ c, onDone }: { c: ReviewCase; onDone: Done }) => {
  const action = useAction(onDone);
  const [reason, setReason] = useState('');
  const id = useId();
  // Denying refunds the patient and closes the case: ask first.
  const confirm = useConfirmStep<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.ask(reason.trim());
  };
  const send = async (value: string) => {
    const ok = await action.run(
      casePath(c.consultationId, 'deny'),
      { reason: value },
      'Denied: the patient is refunded and told once Stripe confirms.',
    );
    if (ok) confirm.done();
    else confirm.back();
  };
  return (
    <ActionCard title="Deny">
      <form onSubmit={submit} className="stack">
        <TextField
          id={`${id}-reason`}
          label="Reason"
          hint="Kept in the clinical record. The patient is told the treatment is not suitable, and refunded in full."
          value={reason}
          onChange={setReason}
        />
        {confirm.pending === null ? (
          <button type="submit" className="danger" ref={confirm.askedFrom} disabled={action.busy}>
            Deny treatment
          </button>
        ) : (
          <ConfirmStep
            question="Deny this treatment and refund the patient?"
            consequence="The patient is told the treatment is not suitable and refunded in full. This cannot be undone."
            confirmLabel="Yes, deny and refund"
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

const Decision = ({ c }: { c: ReviewCase }) => {
  const signingUrl = webLink(c.prescription?.signingUrl);
  if (c.status === 'awaiting_response')
    return <p>The patient has been asked a question; the case comes back here when they reply.</p>;
  if (c.status === 'approved')
    return (
      <>
        <p>
          Approved.{' '}
          {c.prescription
            ? 'The prescription waits for your signature in SignatureRx.'
            : 'The prescription is being created in SignatureRx…'}
        </p>
        {signingUrl ? (
          <p>
            <a className="button" href={signingUrl} target="_blank" rel="noreferrer">
              Sign the prescription in SignatureRx
            </a>
          </p>
        ) : null}
        <p className="hint">
          A signed prescription is final. The GP letter, the patient’s message and the pharmacy queue follow
          at once.
        </p>
      </>
    );
  if (!c.decision) return <p className="muted">No decision is needed in this status.</p>;
  return (
    <Facts>
      <Fact term="Decision">{c.decision.outcome === 'approved' ? 'Approved' : 'Denied'}</Fact>
      <Fact term="By">
        {c.decision.role} · {formatDateTime(c.decision.at)}
      </Fact>
      <Fact term={c.decision.outcome === 'denied' ? 'Reason' : 'Notes'}>{c.decision.note}</Fact>
      {c.prescription ? (
        <Fact term="Prescription">
          <span className="mono">{c.prescription.id}</span>
          {c.prescription.signedAt ? ` signed ${formatDateTime(c.prescription.signedAt)}` : ' not signed'}
        </Fact>
      ) : null}
    </Facts>
  );
};

/** Phase 6: one case with the patient's answers, the flags, the conversation, and the decision. */
export const ReviewCasePage = ({ consultationId }: { consultationId: string }) => {
  const [notice, setNotice] = useState<Notice | null>(null);
  const review = useResource(
    (signal) => api.get<ReviewCase>(`/api/review/cases/${encodeURIComponent(consultationId)}`, { signal }),
    [consultationId],
  );
  const productId = review.data?.product?.productId ?? null;
  const product = useResource(
    (signal) =>
      productId
        ? api.get<ProductDetail>(`/api/catalogue/${encodeURIComponent(productId)}`, { signal })
        : Promise.resolve(undefined),
    [productId],
  );
  const questions = useMemo(
    () =>
      new Map<string, Question>(
        (product.data?.questionnaire.steps ?? []).flatMap((s) => s.questions.map((q) => [q.id, q])),
      ),
    [product.data],
  );
  const status = review.data?.status;
  useLiveConsultations(review.reload, {
    consultationId,
    active: status !== 'rejected' && status !== 'refunded',
  });
  const c = review.data;
  const onDone = (confirmation: string) => {
    setNotice({ text: confirmation, from: c?.statusSince ?? null });
    review.reload();
  };
  // The notice tells what the action did ("Question sent…"): it goes once the case moves on again
  // (the patient's reply is in), so it never describes a state the case has left.
  const statusSince = c?.statusSince ?? null;
  useEffect(() => {
    if (!notice || statusSince === null || statusSince === notice.from) return;
    if (notice.reached === undefined) setNotice({ ...notice, reached: statusSince });
    else if (statusSince !== notice.reached) setNotice(null);
  }, [notice, statusSince]);

  return (
    <main id="main" className="page">
      <p className="breadcrumb">
        <Link to="/review">← Review queue</Link>
      </p>
      <PageHeading>
        {c ? `${c.patient?.name ?? 'Patient'} — ${c.product?.name ?? 'consultation'}` : 'Consultation'}
      </PageHeading>
      <ProblemMessage problem={review.problem} />
      {!c ? (
        review.problem ? null : (
          <Loading what="the case" />
        )
      ) : (
        <>
          {c.flags.renewalOverlap ? <OverlapBanner overlap={c.flags.renewalOverlap} /> : null}
          <div className="order-summary">
            <StatusBadge status={c.status} />
            <span>since {formatDateTime(c.statusSince)}</span>
            <span className="mono">{c.consultationId}</span>
            <PendingMarker pending={c.pending} />
          </div>
          <div className="detail-grid">
            <div className="detail-main">
              {c.flags.repeatSubmission ? (
                <RepeatSubmission repeat={c.flags.repeatSubmission} questions={questions} />
              ) : null}
              <Section title="Patient and treatment">
                <Facts>
                  <Fact term="Patient">{c.patient?.name}</Fact>
                  <Fact term="Date of birth">
                    {typeof c.patient?.dateOfBirth === 'string' ? c.patient.dateOfBirth : null}
                  </Fact>
                  <Fact term="Postcode">{c.patient?.postcode}</Fact>
                  <Fact term="Treatment">{c.product ? `${c.product.name} (${c.product.kind})` : null}</Fact>
                  <Fact term="Plan">{c.plan ? planName(c.plan) : null}</Fact>
                  {c.renewalOf ? (
                    <Fact term="Renewal of">
                      <span className="mono">{c.renewalOf.previousConsultationId}</span>, first approved{' '}
                      {formatDateTime(c.renewalOf.firstApprovedAt)}
                    </Fact>
                  ) : null}
                  <Fact term="Identity">
                    {c.identity.verifiedAt
                      ? `Verified ${formatDateTime(c.identity.verifiedAt)}`
                      : 'Not verified'}
                  </Fact>
                </Facts>
              </Section>
              <Section title="Answers">
                <dl className="facts answers">
                  {c.answers.map((a) => (
                    <div key={a.questionId} data-question={a.questionId}>
                      <dt>{a.question}</dt>
                      <dd>{answerText(a.answer, questions.get(a.questionId))}</dd>
                    </div>
                  ))}
                  {computedBmi(c.answers, questions) !== null ? (
                    <div data-question="bmi">
                      <dt>BMI (from height and weight)</dt>
                      <dd>{computedBmi(c.answers, questions)}</dd>
                    </div>
                  ) : null}
                </dl>
              </Section>
              {c.messages.length > 0 ? (
                <Section title="Messages">
                  <MessageThread messages={c.messages} names={STAFF_NAMES} />
                </Section>
              ) : null}
            </div>
            <div className="detail-side">
              <SuccessNote text={notice?.text ?? null} />
              <section className="card actions" aria-labelledby="decision-heading">
                <h2 id="decision-heading">Decision</h2>
                {c.status === 'in_clinical_review' ? (
                  <>
                    <Approve c={c} onDone={onDone} />
                    <RequestInformation c={c} onDone={onDone} />
                    <Deny c={c} onDone={onDone} />
                  </>
                ) : (
                  <Decision c={c} />
                )}
              </section>
            </div>
          </div>
        </>
      )}
    </main>
  );
};
