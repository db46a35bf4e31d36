import { type ConsultationCommandsDeps, createConsultationCore } from './core.js';
import { patientActions } from './patientActions.js';
import { staffActions } from './staffActions.js';
import { vendorFacts } from './vendorFacts.js';

export type { Actor, ConsultationCommandsDeps } from './core.js';
export type { Staff } from './staffActions.js';

/**
 * The UK consultation flow's command service: every action of the patient, the clinicians and
 * the pharmacy team, and every vendor report, as commands on the consultation's stream.
 */
export const createConsultationCommands = (deps: ConsultationCommandsDeps) => {
  const core = createConsultationCore(deps);
  return {
    execute: core.execute,
    load: core.load,
    history: core.history,
    account: core.account,
    recordFact: core.recordFact,
    productFor: core.productFor,
    requireConsultation: core.requireConsultation,
    patient: patientActions(core),
    staff: staffActions(core),
    vendor: vendorFacts(core),
    stock: deps.stock,
  };
};

export type ConsultationCommands = ReturnType<typeof createConsultationCommands>;
