import { supplyItems } from '../../commands/consultation/dispensing.js';
import { planMonths } from '../../domain/consultation/plan.js';
import { VendorRejectedError } from '../../integrations/errors.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Phase 7 for a POM: the approved case becomes a prescription in SignatureRx, one order (7A) or
 * the whole instalment plan (7B). The prescriber signs it there; the signed webhook is final. A case
 * cancelled or denied before the signature has its unsigned prescription withdrawn.
 */
export const prescribingProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-prescribing',
    handles: ['TreatmentApproved', 'ConsultationCancelled', 'TreatmentDenied'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);
      const state = await deps.commands.load(consultationId);

      if (event.type !== 'TreatmentApproved') {
        const rx = state.prescription;
        if (!rx || rx.signedAt) return;
        await deps.prescribing
          .cancelPrescription({
            idempotencyKey: context.idempotencyKey('cancel'),
            prescriptionId: rx.id,
            reason:
              event.type === 'TreatmentDenied' ? 'Treatment denied on review' : 'Consultation cancelled',
          })
          .catch((error: unknown) => {
            // Signed meanwhile (final) or already withdrawn: nothing left to do.
            if (!(error instanceof VendorRejectedError)) throw error;
          });
        return;
      }

      if (state.status !== 'approved' || state.prescription || !state.product || !state.plan) return;
      const account = await deps.commands.account(consultationId);
      const patient = account.patient;
      if (!patient) throw new Error(`consultation ${consultationId} has no patient details`);
      const prescriberId = event.data.prescriberId;
      const prescriber = account.clinicians[prescriberId];
      if (!prescriber) throw new Error(`no registration recorded for prescriber ${prescriberId}`);
      const months = planMonths(state.plan);
      // The intent first: if it was already on record, an earlier attempt may have created the Rx.
      const firstAttempt = await deps.commands.recordFact(
        consultationId,
        {
          type: 'VendorRecordRequested',
          data: { vendor: 'signaturerx', reference: consultationId, purpose: 'prescription' },
        },
        {
          actor: 'system:prescribing',
          idParts: ['prescription', event.id],
          causationId: event.id,
          correlationId: event.metadata.correlationId,
        },
      );
      const earlier = firstAttempt ? null : await deps.prescribing.findPrescription(consultationId);
      const created =
        earlier ??
        (await deps.prescribing.createPrescription({
          idempotencyKey: context.idempotencyKey('create'),
          consultationRef: consultationId,
          patient: {
            name: `${patient.firstName} ${patient.lastName}`,
            dob: String(state.submitted?.answers.dateOfBirth ?? ''),
            address: patient.address,
            ...(patient.nhsNumber ? { nhsNumber: patient.nhsNumber } : {}),
          },
          prescriber: {
            id: prescriberId,
            name: prescriber.fullName,
            gphcOrGmcNumber: prescriber.registrationNumber,
          },
          items: supplyItems(state.product, months),
          coversMonths: months,
        }));
      await deps.commands.recordFact(
        consultationId,
        {
          type: 'PrescriptionSigningLinkCreated',
          data: { prescriptionId: created.prescriptionId, signingUrl: created.signingUrl },
        },
        {
          actor: 'system:prescribing',
          idParts: [created.prescriptionId],
          causationId: event.id,
          correlationId: event.metadata.correlationId,
        },
      );
      await commandFrom(deps, event, context, 'system:prescribing', {
        type: 'RecordPrescriptionCreated',
        prescriptionId: created.prescriptionId,
        now: context.clock.now().toISOString(),
      });
    },
  });
