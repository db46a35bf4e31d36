import { type FormEvent, type InputHTMLAttributes, useState } from 'react';
import { api } from '../../api/client.js';
import { type Problem, problemOf } from '../../api/problem.js';
import { Link, navigate } from '../../app/router.js';
import { PatientPage } from '../../patient/PatientLayout.js';
import { Fact, Facts, Loading, PageHeading, ProblemMessage } from '../../ui/components.js';
import { useResource } from '../../ui/useResource.js';
import { formatPence, kindText, planName, planPriceText } from '../format.js';
import { patientRequest, rememberToken } from '../patientApi.js';
import type { ConsultationStarted, ProductDetail } from '../types.js';
import { KindBadge } from './CataloguePage.js';

type Details = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  line1: string;
  line2: string;
  town: string;
  postcode: string;
  nhsNumber: string;
};

const EMPTY: Details = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  line1: '',
  line2: '',
  town: '',
  postcode: '',
  nhsNumber: '',
};

const Field = ({
  id,
  label,
  hint,
  optional,
  ...input
}: {
  id: string;
  label: string;
  hint?: string;
  optional?: boolean;
} & InputHTMLAttributes<HTMLInputElement>) => (
  <div className="field">
    <label htmlFor={id}>
      {label}
      {optional ? <span className="hint-inline"> (optional)</span> : null}
    </label>
    {hint ? (
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    ) : null}
    <input id={id} required={!optional} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
  </div>
);

const trimmedOrUndefined = (value: string) => (value.trim() ? value.trim() : undefined);

/** Phase 1: the product, its plans and prices, and the start of a consultation for it. */
export const ProductPage = ({ productId }: { productId: string }) => {
  const product = useResource(
    (signal) => api.get<ProductDetail>(`/api/catalogue/${encodeURIComponent(productId)}`, { signal }),
    [productId],
  );
  const [details, setDetails] = useState<Details>(EMPTY);
  const [gpConsent, setGpConsent] = useState(false);
  const [texts, setTexts] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // One key for this form: pressing start again after a lost answer reaches the same consultation.
  const [requestKey] = useState(() => crypto.randomUUID());

  if (product.problem?.status === 404)
    return (
      <PatientPage flow="uk">
        <PageHeading>Treatment not found</PageHeading>
        <p>
          We do not supply this treatment online. <Link to="/treatments">See all treatments</Link>.
        </p>
      </PatientPage>
    );
  const p = product.data;
  if (!p)
    return (
      <PatientPage flow="uk">
        <PageHeading>Treatment</PageHeading>
        {product.problem ? <ProblemMessage problem={product.problem} /> : <Loading what="the treatment" />}
      </PatientPage>
    );

  const set = (field: keyof Details) => (event: { target: { value: string } }) =>
    setDetails((current) => ({ ...current, [field]: event.target.value }));

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const started = await patientRequest<ConsultationStarted>('POST', '/api/consultations', {
        idempotencyKey: requestKey,
        body: {
          productId: p.id,
          patient: {
            firstName: details.firstName.trim(),
            lastName: details.lastName.trim(),
            email: details.email.trim(),
            phone: trimmedOrUndefined(details.phone),
            nhsNumber: trimmedOrUndefined(details.nhsNumber.replace(/\s+/g, '')),
            address: {
              line1: details.line1.trim(),
              line2: trimmedOrUndefined(details.line2),
              town: details.town.trim(),
              postcode: details.postcode.trim().toUpperCase(),
            },
          },
          consentToInformGp: gpConsent,
          ...(texts ? { notifications: { sms: details.phone } } : {}),
        },
      });
      rememberToken(started.consultationId, started.token);
      navigate(`/consultations/${encodeURIComponent(started.consultationId)}`);
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <PatientPage flow="uk">
      <p className="breadcrumb">
        <Link to="/treatments">← All treatments</Link>
      </p>
      <PageHeading>{p.name}</PageHeading>
      <p>
        <KindBadge kind={p.kind} /> {kindText(p.kind)}.
      </p>
      <section className="card" aria-labelledby="prices-heading">
        <h2 id="prices-heading">Plans and prices</h2>
        <ul className="plans">
          {p.plans.map((plan) => (
            <li key={planName(plan)}>
              <strong>{planName(plan)}</strong>: {planPriceText(plan, plan.price)}
            </li>
          ))}
        </ul>
        <Facts>
          <Fact term="One month’s supply">{formatPence(p.pricePence)}</Fact>
          <Fact term="Delivery">
            {p.coldChain ? 'Chilled, Royal Mail Tracked 24' : 'Royal Mail Tracked 24'}
          </Fact>
          <Fact term="Availability">
            {p.stock.level === 'out_of_stock'
              ? 'Temporarily out of stock: you can still start a consultation'
              : 'In stock'}
          </Fact>
        </Facts>
        <p className="hint">
          You choose a plan after your consultation and pay before a clinician reviews it.
        </p>
      </section>

      <section className="card" aria-labelledby="start-heading">
        <h2 id="start-heading">Start your consultation</h2>
        <ol className="steps-overview">
          <li>
            Tell us about yourself and answer the health questions ({p.questionnaire.steps.length} steps).
          </li>
          <li>Choose a one-off order or a monthly plan, and pay securely.</li>
          <li>We check your identity, and a clinician reviews your answers.</li>
          <li>We tell your GP, then send your treatment by Royal Mail.</li>
        </ol>
        <form onSubmit={start} className="stack">
          <fieldset>
            <legend>Your details</legend>
            <Field
              id="first-name"
              label="First name"
              autoComplete="given-name"
              maxLength={50}
              value={details.firstName}
              onChange={set('firstName')}
            />
            <Field
              id="last-name"
              label="Last name"
              autoComplete="family-name"
              maxLength={50}
              value={details.lastName}
              onChange={set('lastName')}
            />
            <Field
              id="email"
              label="Email"
              type="email"
              autoComplete="email"
              hint="We send your consultation link and updates here."
              maxLength={254}
              value={details.email}
              onChange={set('email')}
            />
            <Field
              id="phone"
              label="Phone"
              type="tel"
              autoComplete="tel"
              optional
              maxLength={25}
              value={details.phone}
              onChange={set('phone')}
            />
            <div className="choice">
              <input
                id="sms-updates"
                type="checkbox"
                checked={texts}
                aria-describedby="sms-updates-hint"
                onChange={(event) => setTexts(event.target.checked)}
              />
              <label htmlFor="sms-updates">
                Text me when my order is dispatched and when it is delivered
              </label>
            </div>
            <p id="sms-updates-hint" className="hint">
              To the mobile number above (07…). Texts never name your treatment. Reply STOP to stop them.
            </p>
            <Field
              id="nhs-number"
              label="NHS number"
              inputMode="numeric"
              optional
              hint="10 digits, if you know it."
              pattern="\s*(\d\s*){10}"
              value={details.nhsNumber}
              onChange={set('nhsNumber')}
            />
          </fieldset>
          <fieldset>
            <legend>Delivery address</legend>
            <Field
              id="line1"
              label="Address line 1"
              autoComplete="address-line1"
              maxLength={100}
              value={details.line1}
              onChange={set('line1')}
            />
            <Field
              id="line2"
              label="Address line 2"
              autoComplete="address-line2"
              optional
              maxLength={100}
              value={details.line2}
              onChange={set('line2')}
            />
            <Field
              id="town"
              label="Town or city"
              autoComplete="address-level2"
              maxLength={50}
              value={details.town}
              onChange={set('town')}
            />
            <Field
              id="postcode"
              label="Postcode"
              autoComplete="postal-code"
              className="medium"
              maxLength={8}
              value={details.postcode}
              onChange={set('postcode')}
            />
          </fieldset>
          <div className="choice">
            <input
              id="gp-consent"
              type="checkbox"
              required
              checked={gpConsent}
              aria-describedby="gp-consent-hint"
              onChange={(event) => setGpConsent(event.target.checked)}
            />
            <label htmlFor="gp-consent">I agree that the pharmacy tells my GP about this treatment.</label>
          </div>
          <p id="gp-consent-hint" className="hint">
            We write to your GP before we send any treatment. We cannot supply without it.
          </p>
          <ProblemMessage problem={problem} />
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Start consultation'}
          </button>
        </form>
      </section>
    </PatientPage>
  );
};
