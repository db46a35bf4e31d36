import { consultationDecider } from '../../domain/consultation/consultation.js';
import type { ClinicianRole } from '../../domain/consultation/consultationEvents.js';
import { DomainError } from '../../domain/decider.js';
import { dispensingSlipPdf } from '../../integrations/documents/pdf/dispensingSlip.js';
import { deterministicId } from '../../platform/ids.js';
import type { ConsultationCore } from './core.js';
import { slipIdFor, slipInput } from './slip.js';

/** A signed-in staff member acting on a consultation. */
export type Staff = { id: string; displayName: string; roles: readonly string[] };

export type TrackingStatusInput = 'in_transit' | 'out_for_delivery' | 'delivered' | 'failed' | 'returned';

const actorOf = (staff: Staff) => `staff:${staff.id}`;

/**
 * The clinician's role for this case: the queue's own role when the staff member holds it, so the
 * decider can refuse a prescriber deciding a pharmacist's case (and the other way round).
 */
const roleFor = (queue: ClinicianRole | undefined, staff: Staff): ClinicianRole => {
  if (queue && staff.roles.includes(queue)) return queue;
  return staff.roles.includes('prescriber') ? 'prescriber' : 'pharmacist';
};

/** Phases 4–6 and 9–13 as prescribers, pharmacists and the pharmacy team drive them. */
export const staffActions = (core: ConsultationCore) => {
  const { deps, now, execute, history, load, requireConsultation, productFor, account, recordFact } = core;
  const meta = (staff: Staff, correlationId?: string) => ({ actor: actorOf(staff), correlationId });

  return {
    /** Approve: POM → the prescription is created in SignatureRx next; P → supply is authorised now. */
    async approve(
      consultationId: string,
      staff: Staff,
      input: { notes: string; registrationNumber: string },
    ) {
      const state = await requireConsultation(consultationId);
      const role = roleFor(state.review?.queue, staff);
      await recordFact(
        consultationId,
        {
          type: 'ClinicianCredentialsRecorded',
          data: {
            clinicianId: staff.id,
            fullName: staff.displayName,
            registrationNumber: input.registrationNumber,
            role,
          },
        },
        { actor: actorOf(staff), idParts: [staff.id, input.registrationNumber] },
      );
      return execute(
        consultationId,
        { type: 'ApproveTreatment', clinicianId: staff.id, role, notes: input.notes, now: now() },
        meta(staff),
      );
    },

    async requestInformation(consultationId: string, staff: Staff, question: string) {
      const state = await requireConsultation(consultationId);
      const role = roleFor(state.review?.queue, staff);
      return execute(
        consultationId,
        { type: 'RequestMoreInformation', clinicianId: staff.id, role, question, now: now() },
        meta(staff),
      );
    },

    async deny(consultationId: string, staff: Staff, reason: string) {
      const state = await requireConsultation(consultationId);
      const role = roleFor(state.review?.queue, staff);
      return execute(
        consultationId,
        { type: 'DenyTreatment', clinicianId: staff.id, role, reason, now: now() },
        meta(staff),
      );
    },

    reviewIdDocument: (consultationId: string, staff: Staff, outcome: 'pass' | 'fail', reason: string) =>
      execute(
        consultationId,
        { type: 'RecordManualIdReview', reviewerId: staff.id, outcome, reason, now: now() },
        meta(staff),
      ),

    /** The slip of the supply in hand as a PDF. Reading it changes nothing; see recordSlipPrinted. */
    async slip(consultationId: string) {
      const state = await requireConsultation(consultationId);
      if (!state.supply)
        throw new DomainError('conflict', 'INVALID_STATUS', 'no supply is queued at the pharmacy');
      const events = await history(consultationId);
      const pdf = await dispensingSlipPdf(slipInput(state, events, await account(consultationId), now()));
      return { pdf, slipId: slipIdFor(consultationId, state.supply.number) };
    },

    /**
     * Phase 9: the slip of the supply in hand was printed, said by a person (or the system for an
     * auto-dispatched month). Only the first print of a supply is recorded.
     */
    async recordSlipPrinted(consultationId: string, staff: Staff | 'system', supplyNumber?: number) {
      const state = await requireConsultation(consultationId);
      if (!state.supply)
        throw new DomainError('conflict', 'INVALID_STATUS', 'no supply is queued at the pharmacy');
      if (supplyNumber !== undefined && supplyNumber !== state.supply.number) {
        throw new DomainError(
          'conflict',
          'STALE_SUPPLY',
          `supply ${supplyNumber} is no longer the one in hand`,
        );
      }
      const slipId = slipIdFor(consultationId, state.supply.number);
      return execute(
        consultationId,
        { type: 'RecordSlipPrinted', slipId, now: now() },
        {
          actor: staff === 'system' ? 'system:auto-dispatch' : actorOf(staff),
          commandId: deterministicId('slip-printed', slipId),
        },
      );
    },

    /**
     * Packs the supply in hand: one unit comes off the shelf first, and an empty shelf blocks the
     * dispatch. The rules are judged once before touching stock, so nothing is reserved for a
     * packing the decider would refuse.
     */
    async pack(
      consultationId: string,
      staff: Staff | 'system',
      acknowledgeRenewalOverlap: boolean,
      commandId?: string,
    ) {
      const state = await requireConsultation(consultationId);
      const product = productFor(state);
      const staffId = staff === 'system' ? 'system:auto-dispatch' : staff.id;
      const actor = staff === 'system' ? 'system:auto-dispatch' : actorOf(staff);
      const onHand = await deps.stock.onHand(product.id);
      const command = { type: 'PackSupply', staffId, acknowledgeRenewalOverlap, now: now() } as const;
      const preview = consultationDecider.decide({ ...command, stockOnHand: onHand }, state);
      let stockOnHand = onHand;
      if (preview[0]?.type === 'SupplyPacked') {
        const supplyNumber = state.supply!.number;
        const packedBefore = (await history(consultationId)).filter(
          (e) =>
            e.type === 'SupplyPacked' && (e.data as { supplyNumber: number }).supplyNumber === supplyNumber,
        ).length;
        try {
          await deps.stock.reserve(product, consultationId, supplyNumber, {
            actor,
            commandId: deterministicId('stock-reserve', consultationId, supplyNumber, packedBefore),
          });
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'OUT_OF_STOCK') throw error;
          stockOnHand = 0; // the last unit went to another packing meanwhile
        }
      }
      return execute(consultationId, { ...command, stockOnHand }, { actor, commandId });
    },

    recordTracking: (
      consultationId: string,
      staff: Staff,
      status: TrackingStatusInput,
      details: string | null,
    ) =>
      execute(
        consultationId,
        {
          type: 'RecordTracking',
          status,
          source: { kind: 'manual', staffId: staff.id },
          details,
          statusAt: now(),
        },
        meta(staff),
      ),

    resolveDeliveryFailure: (
      consultationId: string,
      staff: Staff,
      action: 'redispatch' | 'contact_patient' | 'refund',
      note: string,
    ) =>
      execute(
        consultationId,
        { type: 'ResolveDeliveryFailure', action, staffId: staff.id, note, now: now() },
        meta(staff),
      ),

    cancel: (consultationId: string, staff: Staff, reason: string) =>
      execute(
        consultationId,
        { type: 'CancelConsultation', staffId: staff.id, reason, now: now() },
        meta(staff),
      ),

    rejectTimedOut: (consultationId: string, staff: Staff) =>
      execute(consultationId, { type: 'RejectTimedOut', staffId: staff.id, now: now() }, meta(staff)),

    abandonDraft: (consultationId: string, staff: Staff) =>
      execute(consultationId, { type: 'AbandonDraft', now: now() }, meta(staff)),

    /** A paused plan's charge tried again now (the patient updated their card, or asked us to). */
    async retryInstalmentCharge(consultationId: string, staff: Staff) {
      const state = await requireConsultation(consultationId);
      if (state.status !== 'instalment_paused') {
        throw new DomainError(
          'conflict',
          'INVALID_STATUS',
          `only a paused plan's charge is retried, not one ${state.status}`,
        );
      }
      const chargeNumber = state.charges.length + 1;
      const at = now();
      await recordFact(
        consultationId,
        { type: 'InstalmentChargeDue', data: { chargeNumber, dueAt: at, attempt: Date.parse(at) } },
        { actor: actorOf(staff), idParts: [chargeNumber, 'retry', at] },
      );
      return { state };
    },

    /** Stripe failed a refund (an expired card, a closed account): ask it again for what is unsettled. */
    async retryRefund(consultationId: string, staff: Staff) {
      const state = await requireConsultation(consultationId);
      const facts = await account(consultationId);
      const failed = facts.refundsFailed.at(-1);
      if (!state.refund || state.refund.confirmed || !failed) {
        throw new DomainError(
          'conflict',
          'NO_FAILED_REFUND',
          'this consultation has no failed refund to retry',
        );
      }
      const attempt = facts.refundRetries + 1;
      await recordFact(
        consultationId,
        {
          type: 'RefundRetryRequested',
          data: { refundRequestId: failed.refundRequestId, attempt, requestedBy: actorOf(staff) },
        },
        { actor: actorOf(staff), idParts: ['refund-retry', attempt] },
      );
      return { state };
    },

    cancelRemainingInstalments: (consultationId: string, staff: Staff, reason: string) =>
      execute(
        consultationId,
        { type: 'CancelRemainingInstalments', staffId: staff.id, reason, now: now() },
        meta(staff),
      ),

    /** The PMR fallback: the team exported the record by hand while TitanPMR was out of reach. */
    recordManualPmrExport: (consultationId: string, staff: Staff, pmrPatientId: string) =>
      execute(
        consultationId,
        { type: 'RecordPmrSynced', pmrPatientId, method: 'manual_export', now: now() },
        meta(staff),
      ),

    load,
  };
};
