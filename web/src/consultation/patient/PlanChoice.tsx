import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.js';
import { type Problem, problemOf } from '../../api/problem.js';
import { Loading, ProblemMessage } from '../../ui/components.js';
import { webLink } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import { formatPence, planName, planPriceText } from '../format.js';
import { consultationPath, patientRequest } from '../patientApi.js';
import type { CheckoutOpened, OfferedPlan, PatientConsultation, Plan, ProductDetail } from '../types.js';

const planKey = (plan: Plan) => (plan.kind === 'one_off' ? 'one_off' : `instalment-${plan.months}`);

/** Decline codes as a patient would put them. */
const failureText = (code: string) =>
  code === 'insufficient_funds'
    ? 'Your card was declined for insufficient funds.'
    : code === 'expired_card'
      ? 'Your card has expired.'
      : 'Your card was declined.';

/**
 * Phase 3: one-off or a monthly plan (at most three months), then Stripe's own payment page. A
 * failed payment comes back here with a fresh page to try again; nothing was taken.
 */
export const PlanChoice = ({
  consultation,
  token,
  justPaid,
}: {
  consultation: PatientConsultation;
  token: string;
  justPaid: boolean;
}) => {
  const productId = consultation.product?.id ?? '';
  const product = useResource(
    (signal) => api.get<ProductDetail>(`/api/catalogue/${encodeURIComponent(productId)}`, { signal }),
    [productId],
  );
  const [choice, setChoice] = useState<string | null>(consultation.plan ? planKey(consultation.plan) : null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const failure = consultation.lastPaymentFailure;
  // Back from Stripe's page after paying: an earlier decline is history now.
  if (justPaid)
    return (
      <section className="card" aria-labelledby="paying-heading">
        <h2 id="paying-heading">Thank you</h2>
        <p role="status">We are confirming your payment with the bank. This page updates by itself.</p>
      </section>
    );
  if (!product.data)
    return product.problem ? <ProblemMessage problem={product.problem} /> : <Loading what="the plans" />;

  const plans: OfferedPlan[] = product.data.plans;
  const selected = plans.find((p) => planKey(p) === (choice ?? planKey(plans[0]!))) ?? plans[0]!;

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const plan: Plan =
        selected.kind === 'one_off' ? { kind: 'one_off' } : { kind: 'instalment', months: selected.months };
      const checkout = await patientRequest<CheckoutOpened>(
        'POST',
        consultationPath(consultation.consultationId, '/checkout'),
        {
          token,
          body: { plan },
        },
      );
      const url = webLink(checkout.url);
      if (!url) throw new Error('no payment page');
      window.location.assign(url);
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="plan-heading">
      <h2 id="plan-heading">Choose how to pay</h2>
      {failure ? (
        <div className="problem" role="alert">
          <p className="problem-title">
            <strong>Your payment did not go through</strong>
          </p>
          <p>
            {failureText(failure.failureCode)} No money was taken. You can try again, with another card if you
            like.
          </p>
        </div>
      ) : (
        <p>
          Your answers are in. Choose a one-off order or a monthly plan; you pay now, and if a clinician
          decides the treatment is not right for you, we refund you in full.
        </p>
      )}
      <form onSubmit={pay} className="stack">
        <fieldset>
          <legend>Plan</legend>
          {plans.map((plan) => {
            const key = planKey(plan);
            return (
              <div className="choice" key={key}>
                <input
                  type="radio"
                  id={`plan-${key}`}
                  name="plan"
                  value={key}
                  checked={planKey(selected) === key}
                  aria-describedby={`plan-${key}-price`}
                  onChange={() => setChoice(key)}
                />
                <label htmlFor={`plan-${key}`}>
                  {planName(plan)}
                  <span className="hint" id={`plan-${key}-price`}>
                    {planPriceText(plan, plan.price)}
                  </span>
                </label>
              </div>
            );
          })}
        </fieldset>
        <p>
          To pay now: <strong>{formatPence(selected.price.firstChargePence)}</strong>
          {selected.kind === 'instalment' && selected.months > 1
            ? `, then ${formatPence(selected.price.monthlyPence)} on the same day of each following month`
            : ''}
          .
        </p>
        <ProblemMessage problem={problem} />
        <button type="submit" disabled={busy}>
          {busy
            ? 'Opening the payment page…'
            : failure
              ? 'Try the payment again'
              : 'Continue to secure payment'}
        </button>
        <p className="hint">You pay on our payment provider’s secure page (Stripe) and come back here.</p>
      </form>
    </section>
  );
};
