import { type FormEvent, type InputHTMLAttributes, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import type { EnrollmentInfo } from '../api/types.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { formatDateTime } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';
import { CardUpload } from './CardUpload.js';
import { enrollmentLinkProblem, type LinkProblem } from './linkProblems.js';
import { LinkProblemPage, PatientPage } from './PatientLayout.js';

const RELATIONSHIPS = [
  ['1', 'I am the cardholder'],
  ['2', 'Spouse of the cardholder'],
  ['3', 'Child of the cardholder'],
  ['4', 'Other'],
] as const;

type Insurance = {
  memberId: string;
  bin: string;
  pcn: string;
  group: string;
  cardholderName: string;
  relationship: string;
};

const Field = ({
  id,
  label,
  hint,
  ...input
}: { id: string; label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) => (
  <div className="field">
    <label htmlFor={id}>{label}</label>
    <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} required {...input} />
    {hint ? (
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    ) : null}
  </div>
);

const CARDS_MISSING = 'Card photos missing';

/** The magic-link page: upload the card, enter the plan details, sign the consent. */
export const EnrollPage = ({ token }: { token: string }) => {
  const headers = { 'x-enrollment-token': token };
  const info = useResource(
    (signal) => api.get<EnrollmentInfo>('/api/patient/enrollment', { headers, signal }),
    [token],
  );
  const [linkProblem, setLinkProblem] = useState<LinkProblem | null>(null);
  const [uploaded, setUploaded] = useState({ front: false, back: false });
  const [insurance, setInsurance] = useState<Insurance>({
    memberId: '',
    bin: '',
    pcn: '',
    group: '',
    cardholderName: '',
    relationship: '1',
  });
  const [accepted, setAccepted] = useState(false);
  const [signedName, setSignedName] = useState('');
  const [texts, setTexts] = useState(false);
  const [mobile, setMobile] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [finished, setFinished] = useState(false);

  const onLinkProblem = (p: Problem) => {
    const page = enrollmentLinkProblem(p);
    if (page) setLinkProblem(page);
    return page !== null;
  };

  const refused = linkProblem ?? (info.problem ? enrollmentLinkProblem(info.problem) : null);
  if (refused) return <LinkProblemPage flow="us" problem={refused} />;
  if (finished)
    return (
      <PatientPage flow="us">
        <PageHeading>Thank you, you are enrolled</PageHeading>
        <p>
          We have your insurance details and your consent. We will e-mail you when your copay is ready to pay,
          and again when your order ships.
        </p>
      </PatientPage>
    );
  if (!info.data)
    return (
      <PatientPage flow="us">
        <PageHeading>Enrollment</PageHeading>
        {info.problem ? <ProblemMessage problem={info.problem} /> : <Loading what="your enrollment" />}
      </PatientPage>
    );

  const e = info.data;
  const cards = {
    front: uploaded.front || e.cardsUploaded.front,
    back: uploaded.back || e.cardsUploaded.back,
  };
  const set = (field: keyof Insurance) => (event: { target: { value: string } }) =>
    setInsurance((current) => ({ ...current, [field]: event.target.value }));

  // A “photos missing” warning goes once the photos are there; other problems stay until resolved.
  const cardUploaded = (side: 'front' | 'back') => {
    setUploaded((u) => ({ ...u, [side]: true }));
    setProblem((current) => (current?.title === CARDS_MISSING ? null : current));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!cards.front || !cards.back) {
      setProblem({
        status: 0,
        title: CARDS_MISSING,
        detail: 'Upload both the front and the back of your card.',
      });
      return;
    }
    setSubmitting(true);
    try {
      await api.post(
        '/api/patient/enrollment',
        {
          insurance,
          consent: { accepted: true, version: e.consent.version, signedName: signedName.trim() },
          ...(texts ? { notifications: { sms: mobile } } : {}),
        },
        { headers },
      );
      setFinished(true);
    } catch (error) {
      const p = problemOf(error);
      if (!onLinkProblem(p)) setProblem(p);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PatientPage flow="us">
      <PageHeading>Complete your enrollment</PageHeading>
      <p>
        Hello {e.patient.firstName}. Your prescriber, {e.prescriber.name}, sent us a prescription for{' '}
        <strong>{e.medication.description}</strong>
        {e.medication.quantity ? ` (quantity ${e.medication.quantity}` : ''}
        {e.medication.daysSupply
          ? `, ${e.medication.daysSupply} days supply)`
          : e.medication.quantity
            ? ')'
            : ''}
        . To fill it we need your insurance card and your consent.
      </p>
      <p className="muted">This link works until {formatDateTime(e.expiresAt)}.</p>

      <form onSubmit={submit} className="stack">
        <fieldset>
          <legend>1. Photos of your insurance card</legend>
          <CardUpload
            token={token}
            side="front"
            alreadyUploaded={e.cardsUploaded.front}
            onUploaded={() => cardUploaded('front')}
            onLinkProblem={onLinkProblem}
          />
          <CardUpload
            token={token}
            side="back"
            alreadyUploaded={e.cardsUploaded.back}
            onUploaded={() => cardUploaded('back')}
            onLinkProblem={onLinkProblem}
          />
        </fieldset>

        <fieldset>
          <legend>2. Insurance details (as printed on the card)</legend>
          <Field
            id="member-id"
            label="Member ID"
            maxLength={40}
            value={insurance.memberId}
            onChange={set('memberId')}
          />
          <Field
            id="bin"
            label="Rx BIN"
            hint="6 digits"
            inputMode="numeric"
            pattern="\d{6}"
            maxLength={6}
            value={insurance.bin}
            onChange={set('bin')}
          />
          <Field id="pcn" label="Rx PCN" maxLength={20} value={insurance.pcn} onChange={set('pcn')} />
          <Field id="group" label="Rx Group" maxLength={30} value={insurance.group} onChange={set('group')} />
          <Field
            id="cardholder"
            label="Cardholder name"
            autoComplete="name"
            maxLength={100}
            value={insurance.cardholderName}
            onChange={set('cardholderName')}
          />
          <div className="field">
            <label htmlFor="relationship">Your relationship to the cardholder</label>
            <select id="relationship" value={insurance.relationship} onChange={set('relationship')}>
              {RELATIONSHIPS.map(([code, text]) => (
                <option key={code} value={code}>
                  {text}
                </option>
              ))}
            </select>
          </div>
        </fieldset>

        <fieldset>
          <legend>3. How we keep you posted</legend>
          <p className="hint">We always e-mail you. Texts carry no medication or personal details.</p>
          <div className="choice">
            <input
              id="sms-choice"
              type="checkbox"
              checked={texts}
              onChange={(event) => setTexts(event.target.checked)}
            />
            <label htmlFor="sms-choice">
              Also text me when my copay is ready to pay and when my order is delivered
            </label>
          </div>
          {texts ? (
            <Field
              id="sms-phone"
              label="Mobile number for texts"
              hint="A US number, e.g. (415) 555-0132. Reply STOP to any text to stop them."
              type="tel"
              autoComplete="tel"
              inputMode="tel"
              maxLength={32}
              value={mobile}
              onChange={(event) => setMobile(event.target.value)}
            />
          ) : null}
        </fieldset>

        <fieldset>
          <legend>4. Consent</legend>
          <div className="consent-text" id="consent-text">
            {e.consent.text}
          </div>
          <p className="hint">Consent version {e.consent.version}</p>
          <div className="choice">
            <input
              id="consent"
              type="checkbox"
              required
              checked={accepted}
              aria-describedby="consent-text"
              onChange={(event) => setAccepted(event.target.checked)}
            />
            <label htmlFor="consent">I have read and accept this authorization.</label>
          </div>
          <Field
            id="signed-name"
            label="Type your full name to sign"
            autoComplete="name"
            minLength={2}
            maxLength={100}
            value={signedName}
            onChange={(event) => setSignedName(event.target.value)}
          />
        </fieldset>

        <ProblemMessage problem={problem} />
        <button type="submit" disabled={submitting || !accepted}>
          {submitting ? 'Submitting…' : 'Submit enrollment'}
        </button>
      </form>
    </PatientPage>
  );
};
