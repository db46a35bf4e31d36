import { supplyItems } from '../../commands/consultation/dispensing.js';
import { planMonths } from '../../domain/consultation/plan.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Phase 9: the patient and the order go to TitanPMR once the supply is authorised, with the signed
 * prescription (POM) or the pharmacist's approval (P) as the authority. When TitanPMR stays out
 * of reach the team exports by hand and records it (the manual fallback).
 */
export const pmrProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-pmr',
    handles: ['PharmacyQueueEntered'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);
      const state = await deps.commands.load(consultationId);
      if (state.pmrSynced || state.status !== 'prescribed' || !state.product || !state.plan) return;
      const patient = (await deps.commands.account(consultationId)).patient;
      if (!patient) throw new Error(`consultation ${consultationId} has no patient details`);
      const authority = state.prescription
        ? { prescriptionId: state.prescription.id }
        : { pharmacistApprovalRef: `${consultationId}-approval` };
      const pushed = await deps.pmr.pushPatientAndOrder({
        idempotencyKey: context.idempotencyKey('push'),
        patient: {
          patientRef: patient.patientRef,
          firstName: patient.firstName,
          lastName: patient.lastName,
          dateOfBirth: String(state.submitted?.answers.dateOfBirth ?? ''),
          address: patient.address,
          ...(patient.nhsNumber ? { nhsNumber: patient.nhsNumber } : {}),
          email: patient.email,
          ...(patient.phone ? { phone: patient.phone } : {}),
        },
        order: {
          reference: consultationId,
          items: supplyItems(state.product, planMonths(state.plan)),
          ...authority,
        },
      });
      await commandFrom(deps, event, context, 'system:pmr', {
        type: 'RecordPmrSynced',
        pmrPatientId: pushed.pmrPatientId,
        method: 'api',
        now: context.clock.now().toISOString(),
      });
    },
  });
