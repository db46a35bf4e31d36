import { consultationUrl } from '../../commands/consultation/patientActions.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';
import { patientEmails } from './emails.js';

/**
 * E-mails the patient at each step that needs them (except Phase 8's approval message, which is
 * its own process). The key from the event makes a redelivered event a duplicate e-mail, not a
 * second one.
 */
export const patientEmailsProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-patient-emails',
    handles: [
      'ConsultationStarted',
      'DraftReminderSent',
      'ConsultationAutoDenied',
      'PaymentFailed',
      'IdDocumentRequested',
      'MoreInformationRequested',
      'OrderDispatched',
      'PatientContactedAboutDelivery',
      'InstalmentPaused',
      'PlanCompleted',
      'ConsultationRequired',
    ],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const consultationId = consultationIdOf(recorded);
      const to = (await deps.commands.account(consultationId)).patient?.email;
      if (!to) return;
      const url = consultationUrl(deps.publicUrl, deps.linkSecret, consultationId, deps.clock.now());
      const event = recorded;
      const emails = patientEmails(deps.team.pharmacy.name);
      const mail = await (async () => {
        switch (event.type) {
          case 'ConsultationStarted':
            return emails.started(url);
          case 'DraftReminderSent':
            return emails.draftReminder(url);
          case 'ConsultationAutoDenied':
            return emails.autoDenied(url);
          case 'PaymentFailed':
            return emails.paymentFailed(url);
          case 'IdDocumentRequested':
            return emails.idDocumentRequested(url);
          case 'MoreInformationRequested':
            return emails.moreInformation(url);
          case 'OrderDispatched':
            return emails.dispatched(url, event.data.trackingNumber, event.data.service);
          case 'PatientContactedAboutDelivery':
            return emails.deliveryContact(url, event.data.note);
          case 'InstalmentPaused':
            return emails.instalmentPaused(url);
          case 'PlanCompleted': {
            // Already renewed, or about to be told a new consultation is needed: no invitation to renew.
            const state = await deps.commands.load(consultationId);
            return state.renewalConsultationId || state.status === 'consultation_required'
              ? null
              : emails.planEnded(url);
          }
          case 'ConsultationRequired':
            return emails.consultationRequired(url);
          default:
            return null;
        }
      })();
      if (mail) await deps.mailer.send({ to, ...mail, idempotencyKey: context.idempotencyKey('email') });
    },
  });
