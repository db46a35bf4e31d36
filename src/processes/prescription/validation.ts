import type { PatientRecord } from '../../domain/prescription/validation.js';
import { validatePrescription } from '../../domain/prescription/validation.js';
import type { ProcessManager } from '../runtime.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

/** Validates each received or corrected prescription and records the outcome with every issue. */
export const validationProcess = (deps: PrescriptionProcessDeps): ProcessManager => ({
  name: 'prescription-validation',
  filter: { kind: 'eventTypes', eventTypes: ['PrescriptionReceived', 'PrescriptionCorrected'] },
  async handle(event, context) {
    const orderId = orderIdOf(event);
    const state = await deps.commands.load(orderId);
    if (state.status !== 'received' || !state.prescription) return;

    // The earlier record of the same patient identifier: the first validated order that carried it.
    const identity = state.patientKey
      ? (
          await deps.pool.query<PatientRecord & { firstOrderId: string }>(
            `SELECT last_name AS "lastName", first_name AS "firstName", date_of_birth AS "dateOfBirth",
                    first_order_id AS "firstOrderId" FROM patient_identities WHERE patient_key = $1`,
            [state.patientKey],
          )
        ).rows[0]
      : undefined;
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
      await deps.pool.query(
        `INSERT INTO patient_identities (patient_key, last_name, first_name, date_of_birth, first_order_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (patient_key) DO NOTHING`,
        [state.patientKey, patient.lastName, patient.firstName, patient.dateOfBirth, orderId],
      );
    }
  },
});
