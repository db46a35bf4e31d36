import { validatePrescription } from '../../domain/prescription/validation.js';
import { patientIdentityTable } from '../../stores/patientIdentities.js';
import { type Reactor, reactor } from '../reactor.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

/** Validates each received or corrected prescription and records the outcome with every issue. */
export const validationProcess = (deps: PrescriptionProcessDeps): Reactor => {
  const identities = patientIdentityTable(deps.pool);
  return reactor({
    name: 'prescription-validation',
    handles: ['PrescriptionReceived', 'PrescriptionCorrected'],
    async handle(event, context) {
      const orderId = orderIdOf(event);
      const state = await deps.commands.load(orderId);
      if (state.status !== 'received' || !state.prescription) return;

      // The earlier record of the same patient identifier: the first validated order that carried it.
      const identity = state.patientKey ? await identities.find(state.patientKey) : undefined;
      const earlierPatientRecord = identity && identity.firstOrderId !== orderId ? identity : undefined;
      const outcome = validatePrescription(state.prescription, {
        now: context.clock.now(),
        earlierPatientRecord,
      });

      await commandFrom(deps, event, context, 'system:validation', {
        type: 'RecordValidation',
        outcome,
        now: context.clock.now().toISOString(),
      });
      const patient = state.prescription.patient;
      if (outcome.ok && state.patientKey && patient.lastName && patient.firstName && patient.dateOfBirth) {
        await identities.recordFirst(
          state.patientKey,
          { lastName: patient.lastName, firstName: patient.firstName, dateOfBirth: patient.dateOfBirth },
          orderId,
        );
      }
    },
  });
};
