import { enrollmentToken, patientStatusToken } from '../../commands/prescription/tokens.js';
import { enrollmentLinksProjection } from '../../projections/orders/ordersProjection.js';
import { type Reactor, reactor } from '../reactor.js';
import { orderIdOf, type PrescriptionProcessDeps } from './deps.js';
import { prescriptionEmails } from './emails.js';
import { deliveredText, paymentLinkText } from './texts.js';

export const enrollmentUrl = (publicUrl: string, token: string) => `${publicUrl}/enroll/${token}`;
/** The patient's status page, its key in the fragment: browsers never send a fragment to a server. */
export const statusUrl = (
  deps: Pick<PrescriptionProcessDeps, 'publicUrl' | 'linkSecret' | 'clock'>,
  orderId: string,
  /** `issuedAt`: when the link counts as issued (now unless given); the same time gives the same link. */
  options: { paid?: boolean; issuedAt?: Date } = {},
) =>
  `${deps.publicUrl}/orders/${orderId}${options.paid ? '?paid=1' : ''}#token=${patientStatusToken(deps.linkSecret, orderId, options.issuedAt ?? deps.clock.now())}`;

/**
 * E-mails the patient at each step that needs them, and texts the pay link and the delivery to a
 * patient who chose texts; the key from the event makes a resend a duplicate.
 */
export const notificationsProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-notifications',
    categories: ['order'],
    handles: [
      'EnrollmentLinkIssued',
      'PaymentLinkCreated',
      'ShippingLabelPurchased',
      'OrderCompleted',
      'OrderCancelled',
      'RefundSettled',
    ],
    async handle(recorded, context) {
      const orderId = orderIdOf(recorded);
      const event = recorded;
      const state = await deps.commands.load(orderId);
      // Texts first and apart: a patient who chose them gets them whatever becomes of the e-mail.
      const text =
        event.type === 'PaymentLinkCreated'
          ? paymentLinkText(deps.pharmacyName, { amountMinor: event.data.amountMinor, url: event.data.url })
          : event.type === 'OrderCompleted'
            ? deliveredText(deps.pharmacyName)
            : null;
      if (text && state.smsPhone && deps.sms) {
        await deps.sms.send({
          to: state.smsPhone,
          body: text,
          idempotencyKey: context.idempotencyKey('sms'),
        });
      }
      const to = event.type === 'EnrollmentLinkIssued' ? event.data.email : state.email;
      if (!to) return;
      const status = statusUrl(deps, orderId);
      const emails = prescriptionEmails(deps.pharmacyName);
      let mail: { subject: string; text: string } | null = null;
      switch (event.type) {
        case 'EnrollmentLinkIssued':
          // A link replaced before its e-mail went out is not worth sending: it no longer works.
          if (state.enrollmentLink?.tokenHash !== event.data.tokenHash) return;
          // The link is answered from enrollment_links: a patient who opens it the moment it arrives
          // must find it there, so the e-mail waits until that read model holds this event.
          await context.readModelCaughtUp(enrollmentLinksProjection);
          mail = emails.enrollmentLink({
            firstName: state.prescription?.patient.firstName,
            url: enrollmentUrl(deps.publicUrl, enrollmentToken(deps.linkSecret, event.data.linkId)),
            expiresAt: event.data.expiresAt,
          });
          break;
        case 'PaymentLinkCreated':
          mail = emails.paymentLink({
            amountMinor: event.data.amountMinor,
            url: event.data.url,
            statusUrl: status,
          });
          break;
        case 'ShippingLabelPurchased':
          mail = emails.shipped({
            carrier: event.data.carrier,
            trackingNumber: event.data.trackingNumber,
            statusUrl: status,
          });
          break;
        case 'OrderCompleted':
          mail = emails.completed({ statusUrl: status });
          break;
        case 'OrderCancelled': {
          // A patient the pharmacy never wrote to has nothing to be told.
          if (!state.enrollmentLink) return;
          const refundMinor = state.refunds
            .filter((r) => r.kind === 'cancellation' && r.status !== 'failed')
            .reduce((sum, r) => sum + r.amountMinor, 0);
          mail = emails.cancelled({ refundMinor, statusUrl: status });
          break;
        }
        case 'RefundSettled':
          mail = emails.refunded({ amountMinor: event.data.amountMinor, statusUrl: status });
          break;
      }
      if (mail) await deps.mailer.send({ to, ...mail, idempotencyKey: context.idempotencyKey('email') });
    },
  });
