import type { ProcessManager } from '../runtime.js';
import type { ConsultationProcessDeps } from './deps.js';
import { dispatchProcess } from './dispatch.js';
import { draftsProcess } from './drafts.js';
import { gpLetterProcess } from './gpLetter.js';
import { identityProcess } from './identity.js';
import { instalmentsProcess } from './instalments.js';
import { patientEmailsProcess } from './patientEmails.js';
import { patientNotificationProcess } from './patientNotification.js';
import { patientTextsProcess } from './patientTexts.js';
import { autoDispatchProcess, pharmacyQueueProcess } from './pharmacyQueue.js';
import { planLifecycleProcess } from './planLifecycle.js';
import { pmrProcess } from './pmr.js';
import { prescribingProcess } from './prescribing.js';
import { checkoutCheckProcess, checkoutClosingProcess, refundsProcess } from './refunds.js';
import { reviewQueueProcess } from './reviewQueue.js';
import { teamAlertsProcess } from './teamAlerts.js';

export type { ConsultationProcessDeps, ConsultationTeamConfig } from './deps.js';

/** Every process manager of the consultation flow, in the order a consultation meets them. */
export const consultationProcesses = (deps: ConsultationProcessDeps): ProcessManager[] => [
  draftsProcess(deps),
  patientEmailsProcess(deps),
  patientTextsProcess(deps),
  identityProcess(deps),
  reviewQueueProcess(deps),
  prescribingProcess(deps),
  // Phase 8: three independent triggers of one approval.
  gpLetterProcess(deps),
  patientNotificationProcess(deps),
  pharmacyQueueProcess(deps),
  pmrProcess(deps),
  autoDispatchProcess(deps),
  dispatchProcess(deps),
  instalmentsProcess(deps),
  planLifecycleProcess(deps),
  refundsProcess(deps),
  checkoutClosingProcess(deps),
  checkoutCheckProcess(deps),
  teamAlertsProcess(deps),
];
