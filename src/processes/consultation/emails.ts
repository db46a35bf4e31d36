import type { RefundReason } from '../../domain/consultation/consultationEvents.js';
import { AUTO_DENY_PATIENT_MESSAGE } from '../../domain/consultation/questionnaire.js';

/**
 * Patient e-mails of the consultation flow. E-mail is not a secure channel: they name no medicine,
 * condition or clinical answer, only what the patient needs to act and the link to their
 * consultation, where the rest is shown.
 */
const signOff = (pharmacy: string) =>
  `\n\n— The ${pharmacy} team\nThis message was sent automatically; replies are not read.`;

type Mail = { subject: string; text: string };
const open = (url: string) => `\n\nOpen your consultation:\n${url}`;

/** The UK flow's patient e-mails, signed by the business that serves the patient. */
export const patientEmails = (pharmacy: string) => ({
  started: (url: string): Mail => ({
    subject: 'Your consultation has started',
    text:
      'Thank you for starting an online consultation with us. Your answers are saved as you go, so you can come back at any time.' +
      `\n\nKeep this link private: it is your key to this consultation.${open(url)}${signOff(pharmacy)}`,
  }),
  draftReminder: (url: string): Mail => ({
    subject: 'Your consultation is waiting for you',
    text: `You started a consultation but have not finished it. Your answers so far are saved.${open(url)}${signOff(pharmacy)}`,
  }),
  autoDenied: (url: string): Mail => ({
    subject: 'About your consultation',
    text: `${AUTO_DENY_PATIENT_MESSAGE}\n\nYou have not been charged.${open(url)}${signOff(pharmacy)}`,
  }),
  paymentFailed: (url: string): Mail => ({
    subject: 'Your payment did not go through',
    text: `Your card was not charged. You can try again, with the same or another card, from your consultation.${open(url)}${signOff(pharmacy)}`,
  }),
  idDocumentRequested: (url: string): Mail => ({
    subject: 'We need a photo of your ID',
    text:
      'We could not confirm your identity electronically. Please upload a photo of your passport or driving licence so a member of our team can check it.' +
      `${open(url)}${signOff(pharmacy)}`,
  }),
  moreInformation: (url: string): Mail => ({
    subject: 'Your clinician has a question',
    text: `Our clinician needs a little more information before deciding. Please read their question and reply from your consultation.${open(url)}${signOff(pharmacy)}`,
  }),
  approved: (url: string): Mail => ({
    subject: 'Your treatment has been approved',
    text: `Good news: your treatment has been approved. Our pharmacy team is preparing your order and we will let you know when it is on its way.${open(url)}${signOff(pharmacy)}`,
  }),
  /**
   * `onTreatment`: the patient already has this treatment (a renewal, or an order overlapping a plan
   * that still runs); a denial then declines this order, it says nothing about the treatment itself.
   */
  refunded: (
    url: string,
    reason: RefundReason,
    amountPence: number,
    context: { onTreatment?: boolean } = {},
  ): Mail => {
    const why: Record<RefundReason, string> = {
      id_check_failed: 'We were not able to confirm your identity, so we cannot supply this treatment.',
      clinical_denial: context.onTreatment
        ? 'Our clinician has reviewed your consultation and cannot supply this order. This concerns this order only, not the treatment you already have: please contact us, or your GP, if you have questions about continuing it.'
        : 'Our clinician has reviewed your consultation and this treatment is not suitable for you. Please speak to your GP about other options.',
      patient_cancellation: 'Your consultation has been cancelled as you asked.',
      consultation_timeout: 'Your consultation has been closed because we did not hear from you for 30 days.',
      delivery_failed: 'We are sorry your order did not reach you.',
    };
    return {
      subject: 'Your refund has been issued',
      text: `${why[reason]}\n\nWe have refunded £${(amountPence / 100).toFixed(2)} to your card; it may take a few days to appear.${open(url)}${signOff(pharmacy)}`,
    };
  },
  dispatched: (url: string, trackingNumber: string, service: string): Mail => ({
    subject: 'Your order is on its way',
    text: `Your order has been sent with Royal Mail ${service}, tracking number ${trackingNumber}.${open(url)}${signOff(pharmacy)}`,
  }),
  deliveryContact: (url: string, note: string): Mail => ({
    subject: 'About your delivery',
    text: `Your parcel could not be delivered. ${note}${open(url)}${signOff(pharmacy)}`,
  }),
  instalmentPaused: (url: string): Mail => ({
    subject: 'We could not take this month’s payment',
    text: `This month's payment for your plan did not go through, so your next supply is on hold. Please contact us or check your card; we will try again once it is sorted.${open(url)}${signOff(pharmacy)}`,
  }),
  planEnded: (url: string): Mail => ({
    subject: 'Your plan has ended',
    text: `Your current plan has come to an end. If you would like to continue, you can re-confirm your answers and choose a new plan from your consultation.${open(url)}${signOff(pharmacy)}`,
  }),
  consultationRequired: (url: string): Mail => ({
    subject: 'A new consultation is needed',
    text: `To continue this treatment you will need to complete a new consultation, so a clinician can review it afresh.${open(url)}${signOff(pharmacy)}`,
  }),
});

/** Staff e-mails: internal, with the consultation's id and what the team must do. */
export const teamEmails = {
  caseQueued: (
    queue: string,
    consultationId: string,
    product: string,
    flags: string[],
    url: string,
  ): Mail => ({
    subject: `New consultation to review (${queue})${flags.length > 0 ? ` — ${flags.join(', ')}` : ''}`,
    text: `Consultation ${consultationId} for ${product} is waiting in the ${queue} queue.${flags.length > 0 ? `\nFlags: ${flags.join(', ')}` : ''}\n\n${url}`,
  }),
  digest: (
    queue: string,
    cases: { consultationId: string; product: string; flags: string[] }[],
    url: string,
  ): Mail => ({
    subject: `${cases.length} consultation${cases.length === 1 ? '' : 's'} waiting in the ${queue} queue`,
    text: `${cases
      .map(
        (c) => `- ${c.consultationId}: ${c.product}${c.flags.length > 0 ? ` [${c.flags.join(', ')}]` : ''}`,
      )
      .join('\n')}\n\n${url}`,
  }),
  patientReplied: (consultationId: string, url: string): Mail => ({
    subject: `Patient replied: consultation ${consultationId}`,
    text: `The patient has answered your question; the case is back in your queue.\n\n${url}`,
  }),
  pharmacyQueue: (
    consultationId: string,
    product: string,
    supplyNumber: number,
    flags: string[],
    url: string,
  ): Mail => ({
    subject: `To dispense: ${product} (supply ${supplyNumber})${flags.length > 0 ? ` — ${flags.join(', ')}` : ''}`,
    text: `Consultation ${consultationId}, supply ${supplyNumber}, is in the pharmacy queue.${flags.length > 0 ? `\nFlags: ${flags.join(', ')}` : ''}\n\n${url}`,
  }),
  cancellationRequested: (consultationId: string, message: string, url: string): Mail => ({
    subject: `Cancellation requested: consultation ${consultationId}`,
    text: `The patient asks to cancel:\n\n"${message}"\n\nCancel and refund from the pharmacy queue:\n${url}`,
  }),
  instalmentPaused: (consultationId: string, chargeNumber: number, url: string): Mail => ({
    subject: `Instalment paused: consultation ${consultationId}`,
    text: `Monthly charge ${chargeNumber} failed and dispatch is paused. The patient has been told. Retry the charge or cancel the remaining instalments:\n${url}`,
  }),
  deliveryFailed: (consultationId: string, outcome: string, url: string): Mail => ({
    subject: `Delivery ${outcome}: consultation ${consultationId}`,
    text: `The parcel was ${outcome === 'returned' ? 'returned to us' : 'not delivered'}. Re-dispatch, contact the patient or refund:\n${url}`,
  }),
  outOfStock: (consultationId: string, product: string, url: string): Mail => ({
    subject: `Dispatch blocked, out of stock: ${product}`,
    text: `Consultation ${consultationId} cannot be packed: ${product} is out of stock. Book stock in, then pack again:\n${url}`,
  }),
  lowStock: (product: string, onHand: number, threshold: number, url: string): Mail => ({
    subject: `Low stock: ${product} (${onHand} left)`,
    text: `${product} is down to ${onHand} on hand (alert threshold ${threshold}). Reorder from the wholesaler.\n\n${url}`,
  }),
  refundFailed: (consultationId: string, reason: string | null, url: string): Mail => ({
    subject: `Refund failed: consultation ${consultationId}`,
    text: `Stripe could not complete a refund${reason ? ` (${reason})` : ''}. Contact the patient and refund by another route.\n\n${url}`,
  }),
};
