import type { Account } from '../../domain/consultation/account.js';
import type { ConsultationState } from '../../domain/consultation/consultation.js';
import type { ConsultationEvent } from '../../domain/consultation/consultationEvents.js';
import { DomainError } from '../../domain/decider.js';
import type { DispatchServiceCode } from '../../integrations/dispatch/port.js';
import { DISPATCH_SERVICES } from '../../integrations/dispatch/port.js';
import type { DispensingSlipInput } from '../../integrations/documents/pdf/dispensingSlip.js';
import { addressLines, supplyItems } from './dispensing.js';

/** Chilled parcels go guaranteed next day and signed for; everything else Tracked 24. */
export const dispatchServiceFor = (coldChain: boolean): DispatchServiceCode => (coldChain ? 'SD1' : 'TPN');

/** The slip's id for one month of one consultation: printing it again records nothing new. */
export const slipIdFor = (consultationId: string, supplyNumber: number) =>
  `slip-${consultationId}-${supplyNumber}`;

/**
 * What the pharmacy team's dispensing slip shows for the supply in hand: the authority to supply
 * (the signed Rx, or the pharmacist's logged approval), the item, and the flags to see first.
 */
export const slipInput = (
  state: ConsultationState,
  history: readonly { type: string; data: unknown }[],
  account: Account,
  printedAt: string,
): DispensingSlipInput => {
  const { product, supply } = state;
  const patient = account.patient;
  if (!product || !supply || !patient) {
    throw new DomainError(
      'conflict',
      'INVALID_STATUS',
      'no supply is queued at the pharmacy for this consultation',
    );
  }
  const flags = [
    ...(state.flags.renewalOverlap
      ? [`RENEWAL OVERLAP: earlier plan runs to ${state.flags.renewalOverlap.activePlanEndsAt.slice(0, 10)}`]
      : []),
    ...(product.coldChain ? ['COLD CHAIN: pack chilled'] : []),
    ...(state.plan?.kind === 'instalment'
      ? [`INSTALMENT: month ${supply.number} of ${state.plan.months}`]
      : []),
  ];
  const dispatched = [...history]
    .reverse()
    .find(
      (e): e is Extract<ConsultationEvent, { type: 'OrderDispatched' }> =>
        e.type === 'OrderDispatched' && (e.data as { supplyNumber: number }).supplyNumber === supply.number,
    );
  const common = {
    orderReference: `${state.consultationId}/${supply.number}`,
    patient: {
      name: `${patient.firstName} ${patient.lastName}`,
      dob: String(state.submitted?.answers.dateOfBirth ?? ''),
      address: addressLines(patient.address),
    },
    items: supplyItems(product, 1),
    dispatch: {
      service: DISPATCH_SERVICES[dispatchServiceFor(product.coldChain)],
      ...(dispatched ? { trackingNumber: dispatched.data.trackingNumber } : {}),
    },
    flags,
    printedAt,
  };
  if (product.kind === 'POM') {
    if (!state.prescription?.signedAt) {
      throw new DomainError(
        'conflict',
        'PRESCRIPTION_NOT_SIGNED',
        'a POM is dispensed only against a signed prescription',
      );
    }
    return { ...common, prescriptionRef: state.prescription.id };
  }
  const approval = history.find(
    (e): e is Extract<ConsultationEvent, { type: 'PharmacySupplyApproved' }> =>
      e.type === 'PharmacySupplyApproved',
  );
  if (!approval) throw new DomainError('conflict', 'NOT_APPROVED', 'no pharmacist approval is recorded');
  return {
    ...common,
    pharmacistApproval: {
      ref: `${state.consultationId}-approval`,
      pharmacistName: account.clinicians[approval.data.pharmacistId]?.fullName ?? approval.data.pharmacistId,
      approvedAt: approval.data.approvedAt,
    },
  };
};
