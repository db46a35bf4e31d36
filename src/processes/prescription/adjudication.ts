import { VendorRejectedError } from '../../integrations/errors.js';
import { pharmacyNpi } from '../../projections/pharmacyQueries.js';
import { type Reactor, reactor } from '../reactor.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

/** Submits the claim for the selected pharmacy (and again on a resubmission) and records the answer. */
export const adjudicationProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-adjudication',
    handles: ['PharmacySelected', 'ClaimResubmitted'],
    async handle(event, context) {
      const state = await deps.commands.load(orderIdOf(event));
      if (
        state.status !== 'pharmacy_selected' ||
        !state.insurance ||
        !state.prescription ||
        !state.normalisedNdc
      )
        return;
      const npi = await pharmacyNpi(deps.pool, state.pharmacyId);
      const claimId = context.idempotencyKey('claim');
      const medication = state.prescription.medication;
      let result: Awaited<ReturnType<typeof deps.adjudicator.adjudicate>>;
      try {
        result = await deps.adjudicator.adjudicate({
          claimId,
          coverage: {
            bin: state.insurance.bin,
            pcn: state.insurance.pcn,
            group: state.insurance.group,
            memberId: state.insurance.memberId,
          },
          patient: {
            dateOfBirth: state.prescription.patient.dateOfBirth ?? '',
            lastName: state.prescription.patient.lastName ?? '',
          },
          ndc11: state.normalisedNdc,
          quantity: Number(medication.quantity),
          daysSupply: Number(medication.daysSupply),
          dateOfService: context.clock.now().toISOString().slice(0, 10),
          pharmacyNpi: npi,
          ...(state.priorAuthorization ? { priorAuthorizationNumber: state.priorAuthorization.number } : {}),
        });
      } catch (error) {
        // The payer refused the request itself (4xx): a business outcome ops must look at, not a retry.
        if (!(error instanceof VendorRejectedError)) throw error;
        result = { outcome: 'rejected', claimId, rejects: [{ code: error.code, message: error.message }] };
      }
      await commandFrom(deps, event, context, 'system:adjudication', {
        type: 'RecordAdjudication',
        result:
          result.outcome === 'paid'
            ? {
                paid: true,
                adjudication: {
                  claimId: result.claimId,
                  planName: result.plan.name,
                  planType: result.plan.type,
                  tier: result.tier,
                  ingredientCostMinor: result.ingredientCostMinor,
                  planPaysMinor: result.planPaysMinor,
                  patientPaysMinor: result.patientPaysMinor,
                  deductibleAppliedMinor: result.deductibleAppliedMinor,
                  couponAppliedMinor: result.coupon?.appliedMinor ?? 0,
                  couponProgram: result.coupon?.programName ?? null,
                  patientPaysAfterCouponMinor: result.patientOwesMinor,
                },
              }
            : {
                paid: false,
                claimId: result.claimId,
                rejects: result.rejects.map(({ code, message }) => ({ code, message })),
              },
      });
    },
  });
