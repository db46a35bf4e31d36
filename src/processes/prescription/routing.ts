import { drugProfile, rankPharmacies } from '../../domain/routing/rank.js';
import { loadPharmacies } from '../../projections/pharmacies.js';
import type { ProcessManager } from '../runtime.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

/** Ranks the network for each enrolled order: filter on what must hold, then score what is better. */
export const routingProcess = (deps: PrescriptionProcessDeps): ProcessManager => ({
  name: 'prescription-routing',
  filter: { kind: 'eventTypes', eventTypes: ['EnrollmentCompleted'] },
  async handle(event, context) {
    const state = await deps.commands.load(orderIdOf(event));
    if (state.status !== 'awaiting_routing' || !state.prescription || !state.normalisedNdc) return;
    const profile = drugProfile(state.normalisedNdc);
    const address = state.prescription.patient.address;
    const recommendations = rankPharmacies(await loadPharmacies(deps.pool), {
      patientState: address?.state ?? '',
      patientPostalCode: address?.postalCode,
      plan: state.insurance ? { bin: state.insurance.bin, pcn: state.insurance.pcn } : null,
      ndc11: state.normalisedNdc,
      requiresColdChain: profile.requiresColdChain,
      isSpecialty: profile.isSpecialty,
      limitedDistributionDrug: profile.limitedDistribution ?? undefined,
    });
    await commandFrom(deps, event, context, 'system:routing', {
      type: 'RecommendPharmacies',
      recommendations,
    });
  },
});
