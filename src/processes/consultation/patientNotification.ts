import { consultationUrl } from '../../commands/consultation/patientActions.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';
import { patientEmails } from './emails.js';

/**
 * Phase 8's patient message (treatment approved), and the message sent once Stripe confirms a
 * refund: both asked for by the decider as `PatientNotificationRequested`.
 */
export const patientNotificationProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-patient-notification',
    handles: ['PatientNotificationRequested'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const consultationId = consultationIdOf(recorded);
      const event = recorded;
      if (event.type !== 'PatientNotificationRequested') return;
      const to = (await deps.commands.account(consultationId)).patient?.email;
      if (!to) return;
      const url = consultationUrl(deps.publicUrl, deps.linkSecret, consultationId, deps.clock.now());
      let mail: { subject: string; text: string };
      if (event.data.template === 'treatment_approved') {
        mail = patientEmails(deps.team.pharmacy.name).approved(url);
      } else {
        const state = await deps.commands.load(consultationId);
        mail = patientEmails(deps.team.pharmacy.name).refunded(
          url,
          event.data.reason,
          state.refund?.amountPence ?? 0,
          {
            onTreatment: state.renewalOf !== null || state.flags.renewalOverlap !== null,
          },
        );
      }
      await deps.mailer.send({ to, ...mail, idempotencyKey: context.idempotencyKey('email') });
    },
  });
