import { VendorRejectedError } from '../../integrations/errors.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

/** `consultations/<id>/id-<passport|driving_licence>-<hash>`: the upload names its document type. */
const documentTypeOf = (key: string) =>
  key.includes('/id-driving_licence-') ? 'driving_licence' : 'passport';

/**
 * Phase 4. Once paid, LexisNexis IDU checks the patient electronically: a pass goes to the review
 * queue, a refer or fail asks for a photo ID. An uploaded ID is sent to IDU's document check too,
 * whose answer is kept for the person who reviews it; that person decides.
 */
export const identityProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-identity',
    handles: ['PaymentCaptured', 'IdDocumentUploaded'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const consultationId = consultationIdOf(recorded);
      const event = recorded;
      const state = await deps.commands.load(consultationId);
      const patient = (await deps.commands.account(consultationId)).patient;
      if (!patient) throw new Error(`consultation ${consultationId} has no patient details`);

      if (event.type === 'PaymentCaptured') {
        // A renewal carries its identity over from the treatment it continues.
        if (state.status !== 'awaiting_id_verification') return;
        const verification = await deps.identity.verify({
          idempotencyKey: context.idempotencyKey('verify'),
          person: {
            firstName: patient.firstName,
            lastName: patient.lastName,
            dateOfBirth: String(state.submitted?.answers.dateOfBirth ?? ''),
            email: patient.email,
          },
          address: { ...patient.address, country: 'GB' },
        });
        await commandFrom(deps, recorded, context, 'system:identity', {
          type: 'RecordIdVerification',
          // IDU's "refer" is not a pass: the patient is asked for a document, as for a fail.
          outcome: verification.outcome === 'pass' ? 'pass' : 'fail',
          reference: verification.reference,
          now: context.clock.now().toISOString(),
        });
        return;
      }

      if (event.type === 'IdDocumentUploaded') {
        if (state.status !== 'id_manual_review') return;
        const stored = await deps.documents.get(event.data.document.key);
        if (!stored) throw new Error(`document ${event.data.document.key} is missing from storage`);
        const reference = state.idCheckReferences.at(-1) ?? consultationId;
        const checked = await deps.identity
          .submitDocument({
            idempotencyKey: context.idempotencyKey('document'),
            reference,
            documentType: documentTypeOf(event.data.document.key),
            image: stored.body,
            contentType: stored.contentType,
          })
          .catch((error: unknown) => {
            // An image IDU cannot read is for the reviewer to judge, not a reason to stop.
            if (error instanceof VendorRejectedError)
              return { outcome: 'fail' as const, reference: error.code };
            throw error;
          });
        await deps.commands.recordFact(
          consultationId,
          {
            type: 'IdDocumentChecked',
            data: {
              outcome: checked.outcome,
              reference: checked.reference,
              checkedAt: context.clock.now().toISOString(),
            },
          },
          {
            actor: 'system:identity',
            idParts: [recorded.id],
            causationId: recorded.id,
            correlationId: recorded.metadata.correlationId,
          },
        );
      }
    },
  });
