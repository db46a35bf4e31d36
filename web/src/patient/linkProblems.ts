import type { Problem } from '../api/problem.js';

export type LinkProblem = { heading: string; text: string };

/** A refused magic link gets a page of its own that says what happened and what to do next. */
export const enrollmentLinkProblem = (problem: Problem): LinkProblem | null => {
  if (problem.code === 'LINK_EXPIRED')
    return {
      heading: 'This link has expired',
      text: 'Enrollment links work for a limited time. Contact the pharmacy and ask for a new link; it will arrive by e-mail.',
    };
  if (problem.code === 'LINK_USED')
    return {
      heading: 'This link has already been used',
      text: 'Your enrollment was already submitted with this link. If you need to change something, contact the pharmacy.',
    };
  if (problem.code === 'LINK_INVALID' || problem.status === 401 || problem.status === 404)
    return {
      heading: 'This link is not valid',
      text: 'Open the enrollment link from your most recent e-mail; a newer link replaces older ones. If it still does not work, contact the pharmacy.',
    };
  return null;
};

/** What each status means to the patient, in their words rather than ours. */
export const patientStatusText = (status: string): string => {
  switch (status) {
    case 'received':
    case 'validated':
    case 'validation_issue':
      return 'We have your prescription and are checking it.';
    case 'awaiting_enrollment':
      return 'We need your insurance details: use the enrollment link we e-mailed you.';
    case 'awaiting_routing':
    case 'awaiting_drug_review':
    case 'awaiting_pharmacy_selection':
    case 'pharmacy_selected':
      return 'We are choosing the pharmacy that will fill your prescription.';
    case 'adjudicated':
    case 'adjudication_rejected':
      return 'We are confirming what your insurance covers.';
    case 'awaiting_payment':
      return 'Your copay is ready to pay.';
    case 'payment_mismatch':
      return 'We received your payment, but not the amount we asked for. The pharmacy will contact you.';
    case 'paid':
      return 'Payment received. Your order is being prepared.';
    case 'shipped':
    case 'in_transit':
    case 'out_for_delivery':
      return 'Your order is on its way.';
    case 'delivered':
    case 'completed':
      return 'Your order has been delivered.';
    case 'delivery_exception':
      return 'There is a problem with the delivery. The pharmacy will contact you.';
    case 'cancelled':
      return 'This order was cancelled.';
    default:
      return '';
  }
};
