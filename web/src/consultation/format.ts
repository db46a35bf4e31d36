import { bmiOf } from '../../../src/domain/consultation/conditions.js';
import type { AnswerValue, ConsultationStatus, Plan, PlanPrice, Question } from './types.js';

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** Money travels in pence; people read pounds. */
export const formatPence = (pence: number | null | undefined) =>
  pence === null || pence === undefined ? '—' : pounds.format(pence / 100);

export const planName = (plan: Plan) =>
  plan.kind === 'one_off' ? 'One-off order' : `${plan.months}-month plan`;

/** What a plan costs, in words a patient can check against their bank statement. */
export const planPriceText = (plan: Plan, price: PlanPrice) =>
  plan.kind === 'one_off'
    ? `${formatPence(price.totalPence)}, paid now`
    : plan.months === 1
      ? `${formatPence(price.monthlyPence)} for one month, paid now; renew when it ends`
      : `${formatPence(price.monthlyPence)} a month for ${plan.months} months (${formatPence(price.totalPence)} in total): ${formatPence(price.firstChargePence)} now, then monthly`;

export const kindText = (kind: 'POM' | 'P') =>
  kind === 'POM'
    ? 'Prescription-only medicine: a prescriber reviews your consultation'
    : 'Pharmacy medicine: a pharmacist reviews your consultation';

/** What each status means to the patient, in their words rather than ours. */
export const patientStatusText = (status: ConsultationStatus): string => {
  switch (status) {
    case 'draft':
      return 'You have not finished your consultation yet.';
    case 'auto_denied':
      return 'This treatment is not suitable for you to buy online.';
    case 'awaiting_payment':
      return 'Your answers are in. Choose how to pay to send your consultation to our clinicians.';
    case 'awaiting_id_verification':
      return 'Payment received. We are confirming your identity.';
    case 'id_document_requested':
      return 'We could not confirm your identity electronically: please upload a photo of your ID.';
    case 'id_manual_review':
      return 'Thank you for your ID. Our team is checking it.';
    case 'in_clinical_review':
      return 'A clinician is reviewing your consultation.';
    case 'awaiting_response':
      return 'Your clinician has a question for you. Please reply below.';
    case 'approved':
      return 'Your treatment is approved. The prescription is being signed.';
    case 'prescribed':
    case 'dispatch_pending':
      return 'Your treatment is approved and the pharmacy is preparing your order.';
    case 'dispatched':
      return 'Your order is on its way.';
    case 'delivered':
      return 'Your order has been delivered.';
    case 'delivery_failed':
      return 'There is a problem with the delivery. The pharmacy will contact you.';
    case 'instalment_paused':
      return 'Your monthly payment did not go through, so the next delivery is paused. The pharmacy will contact you.';
    case 'plan_completed':
      return 'Your plan has ended.';
    case 'consultation_required':
      return 'A new consultation is needed before we can supply this treatment again.';
    case 'rejected':
      return 'We are not able to supply this treatment. Any payment is being refunded.';
    case 'refunded':
      return 'Your payment has been refunded.';
    case 'cancelled':
      return 'This consultation was cancelled. Any payment is being refunded.';
    case 'abandoned':
      return 'This consultation was closed.';
  }
};

/** An answer as the patient gave it: option labels rather than codes, yes/no rather than true/false. */
export const answerText = (value: AnswerValue | null | undefined, question?: Question): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean')
    return question?.kind === 'confirm' ? (value ? 'Confirmed' : 'Not confirmed') : value ? 'Yes' : 'No';
  const options =
    question && (question.kind === 'single' || question.kind === 'multi') ? question.options : [];
  const label = (v: string) => options.find((o) => o.value === v)?.label ?? v;
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (typeof value === 'number')
    return question?.kind === 'number' && question.unit ? `${value} ${question.unit}` : String(value);
  return label(value as string);
};

/** Tracking statuses as Royal Mail's webhook or staff record them. */
export const trackingText = (status: string) =>
  ({
    in_transit: 'In transit',
    out_for_delivery: 'Out for delivery',
    delivered: 'Delivered',
    failed: 'Delivery failed',
    delivery_failed: 'Delivery failed',
    returned: 'Returned to the pharmacy',
  })[status] ?? status.replaceAll('_', ' ');

/** The electronic ID check's answer as the team reads it: a REFER asks for a person, it is no failure. */
export const electronicCheckText = (outcome: 'pass' | 'refer' | 'fail') =>
  outcome === 'pass' ? 'Passed' : outcome === 'refer' ? 'Referred' : 'Failed';

/** Paid and still open: the patient may ask the pharmacy team to cancel (they cancel and refund). */
const CANCELLABLE: readonly ConsultationStatus[] = [
  'awaiting_id_verification',
  'id_document_requested',
  'id_manual_review',
  'in_clinical_review',
  'awaiting_response',
  'approved',
  'prescribed',
  'dispatch_pending',
  'dispatched',
  'delivered',
  'delivery_failed',
  'instalment_paused',
];

/** Whether to offer “Ask to cancel”: never for a one-off order already delivered (nothing is left to stop). */
export const mayAskToCancel = (consultation: { status: ConsultationStatus; plan: Plan | null }) =>
  CANCELLABLE.includes(consultation.status) &&
  !(consultation.status === 'delivered' && consultation.plan?.kind === 'one_off');

const RENEWAL_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Whether renewing is the patient's next step: in the plan's last 14 days, or once it has ended.
 * Before that a plan has just begun, and renewal is only a quiet "renew early" link.
 */
export const renewalDue = (planEndsAt: string | null | undefined, now: number) =>
  !planEndsAt || Date.parse(planEndsAt) - now <= RENEWAL_WINDOW_MS;

/**
 * The BMI from the answers to a height (cm) and a weight (kg) question, to one decimal, so the
 * prescriber need not work it out; null where the questionnaire asked for neither or one is missing.
 */
export const computedBmi = (
  answers: readonly { questionId: string; answer: AnswerValue }[],
  questions: ReadonlyMap<string, Question>,
): string | null => {
  const measured = (unit: string) => {
    const found = answers.find((a) => {
      const question = questions.get(a.questionId);
      return question?.kind === 'number' && question.unit === unit && typeof a.answer === 'number';
    });
    return typeof found?.answer === 'number' && found.answer > 0 ? found.answer : null;
  };
  const height = measured('cm');
  const weight = measured('kg');
  return height === null || weight === null ? null : bmiOf(height, weight).toFixed(1);
};
