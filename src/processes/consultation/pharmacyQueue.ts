import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';
import { teamEmails } from './emails.js';

export const pharmacyUrl = (publicUrl: string, consultationId: string) =>
  `${publicUrl}/pharmacy/consultations/${consultationId}`;

/**
 * Phase 8, third trigger: the supply enters the pharmacy queue (the read model shows it at once)
 * and the pharmacy team is told, with a renewal overlap or a cold chain called out, so no one has
 * to hand it over.
 */
export const pharmacyQueueProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-pharmacy-queue',
    handles: ['PharmacyQueueEntered'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const event = recorded;
      if (event.type !== 'PharmacyQueueEntered') return;
      const consultationId = consultationIdOf(recorded);
      const state = await deps.commands.load(consultationId);
      const flags = [
        ...(event.data.renewalOverlap ? ['RENEWAL OVERLAP'] : []),
        ...(event.data.coldChain ? ['COLD CHAIN'] : []),
      ];
      await deps.mailer.send({
        to: deps.team.pharmacyTeamEmail,
        ...teamEmails.pharmacyQueue(
          consultationId,
          state.product?.name ?? 'treatment',
          event.data.supplyNumber,
          flags,
          pharmacyUrl(deps.publicUrl, consultationId),
        ),
        idempotencyKey: context.idempotencyKey('email'),
      });
    },
  });

/**
 * Phase 13: months 2..N of a plan go out without a clinician looking again (the prescription or
 * approval covers the whole plan): the slip is recorded and the supply packed by the system, so
 * Royal Mail is booked straight away. An empty shelf blocks it and a renewal overlap waits for a
 * person to acknowledge it, as the first month's supply would.
 */
export const autoDispatchProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-auto-dispatch',
    handles: ['PharmacyQueueEntered'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const { supplyNumber, renewalOverlap } = recorded.data;
      if (supplyNumber < 2 || renewalOverlap) return;
      const consultationId = consultationIdOf(recorded);
      const state = await deps.commands.load(consultationId);
      if (state.status !== 'dispatch_pending' || state.supply?.number !== supplyNumber || state.supply.packed)
        return;
      await deps.commands.staff.recordSlipPrinted(consultationId, 'system', supplyNumber);
      await deps.commands.staff.pack(consultationId, 'system', false, context.commandId('pack'));
    },
  });
