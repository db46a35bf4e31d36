import { enrollmentToken, patientStatusToken } from '../../commands/prescription/tokens.js';
import type { OrderEvent } from '../../domain/prescription/orderEvents.js';
import type { ProcessManager } from '../runtime.js';
import { orderIdOf, type PrescriptionProcessDeps } from './deps.js';
import { completedEmail, enrollmentLinkEmail, paymentLinkEmail, shippedEmail } from './emails.js';

export const enrollmentUrl = (publicUrl: string, token: string) => `${publicUrl}/enroll/${token}`;
/** The patient's status page, its key in the fragment: browsers never send a fragment to a server. */
export const statusUrl = (
  deps: Pick<PrescriptionProcessDeps, 'publicUrl' | 'linkSecret'>,
  orderId: string,
  options: { paid?: boolean } = {},
) =>
  `${deps.publicUrl}/orders/${orderId}${options.paid ? '?paid=1' : ''}#token=${patientStatusToken(deps.linkSecret, orderId)}`;

/** E-mails the patient at each step that needs them; the key from the event makes a resend a duplicate. */
export const notificationsProcess = (deps: PrescriptionProcessDeps): ProcessManager => ({
  name: 'prescription-notifications',
  filter: {
    kind: 'eventTypes',
    eventTypes: ['EnrollmentLinkIssued', 'PaymentLinkCreated', 'ShippingLabelPurchased', 'OrderCompleted'],
  },
  async handle(recorded, context) {
    const orderId = orderIdOf(recorded);
    const event = { type: recorded.type, data: recorded.data } as OrderEvent;
    const state = await deps.commands.load(orderId);
    const to = event.type === 'EnrollmentLinkIssued' ? event.data.email : state.email;
    if (!to) return;
    const status = statusUrl(deps, orderId);
    let mail: { subject: string; text: string } | null = null;
    switch (event.type) {
      case 'EnrollmentLinkIssued':
        // A link replaced before its e-mail went out is not worth sending: it no longer works.
        if (state.enrollmentLink?.tokenHash !== event.data.tokenHash) return;
        mail = enrollmentLinkEmail({
          firstName: state.prescription?.patient.firstName,
          url: enrollmentUrl(deps.publicUrl, enrollmentToken(deps.linkSecret, event.data.linkId)),
          expiresAt: event.data.expiresAt,
        });
        break;
      case 'PaymentLinkCreated':
        mail = paymentLinkEmail({
          amountMinor: event.data.amountMinor,
          url: event.data.url,
          statusUrl: status,
        });
        break;
      case 'ShippingLabelPurchased':
        mail = shippedEmail({
          carrier: event.data.carrier,
          trackingNumber: event.data.trackingNumber,
          statusUrl: status,
        });
        break;
      case 'OrderCompleted':
        mail = completedEmail({ statusUrl: status });
        break;
    }
    if (mail) await deps.mailer.send({ to, ...mail, idempotencyKey: context.idempotencyKey('email') });
  },
});
