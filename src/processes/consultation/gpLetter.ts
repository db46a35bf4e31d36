import { addressLines, gpPracticeOf, labelOf } from '../../commands/consultation/dispensing.js';
import type { ConsultationEvent } from '../../domain/consultation/consultationEvents.js';
import { planMonths } from '../../domain/consultation/plan.js';
import { gpLetterPdf } from '../../integrations/documents/pdf/gpLetter.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Phase 8, first trigger: the letter to the patient's GP, written as a PDF from the practice the
 * patient named and sent (with their consent) through the GP mailbox before anything is dispatched.
 * The letter is kept in document storage; its key is the letter's id.
 */
export const gpLetterProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-gp-letter',
    handles: ['GpLetterRequested'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);
      const state = await deps.commands.load(consultationId);
      if (state.gpLetter !== 'requested' || !state.product || !state.plan) return;
      const account = await deps.commands.account(consultationId);
      const patient = account.patient;
      if (!patient) throw new Error(`consultation ${consultationId} has no patient details`);
      // Consent is asked for at the start; without it no letter may be written.
      if (!patient.gpConsent.given)
        throw new Error(`patient of ${consultationId} has not consented to a GP letter`);
      const approval = (await deps.commands.history(consultationId)).findLast(
        (e) => e.type === 'TreatmentApproved' || e.type === 'PharmacySupplyApproved',
      ) as Extract<ConsultationEvent, { type: 'TreatmentApproved' | 'PharmacySupplyApproved' }> | undefined;
      const clinicianId =
        approval?.type === 'TreatmentApproved'
          ? approval.data.prescriberId
          : (approval?.data.pharmacistId ?? '');
      const clinician = account.clinicians[clinicianId];
      const answers = state.submitted?.answers ?? {};
      const months = planMonths(state.plan);
      const pdf = await gpLetterPdf({
        gpPractice: gpPracticeOf(answers.gpPractice),
        patient: {
          name: `${patient.firstName} ${patient.lastName}`,
          dob: String(answers.dateOfBirth ?? ''),
          address: addressLines(patient.address),
        },
        medication: {
          name: state.product.name,
          dosage: labelOf(state.product).strength,
          quantity: `${months} month${months === 1 ? '' : 's'}' supply`,
        },
        prescriber: {
          name: clinician?.fullName ?? clinicianId,
          registration:
            `${clinician?.role === 'pharmacist' ? 'GPhC' : 'GMC'} ${clinician?.registrationNumber ?? ''}`.trim(),
        },
        consentGiven: patient.gpConsent.given,
        date: event.data.requestedAt,
        pharmacy: deps.team.pharmacy,
      });
      const letterId = `consultations/${consultationId}/gp-letter-${event.id}.pdf`;
      await deps.documents.put({
        key: letterId,
        body: pdf,
        contentType: 'application/pdf',
        metadata: { consultation: consultationId },
      });
      const practice = gpPracticeOf(answers.gpPractice);
      await deps.mailer.send({
        to: deps.team.gpLetterMailbox,
        subject: `Patient treatment notification for ${practice.name}`,
        text: `Please find attached a letter for ${practice.name} about a patient registered with the practice.\n\n— ${deps.team.pharmacy.name}`,
        attachments: [{ filename: 'gp-letter.pdf', content: pdf, contentType: 'application/pdf' }],
        idempotencyKey: context.idempotencyKey('email'),
      });
      await commandFrom(deps, event, context, 'system:gp-letter', {
        type: 'RecordGpLetterSent',
        letterId,
        now: context.clock.now().toISOString(),
      });
    },
  });
