import type { ProcessManager } from '../runtime.js';
import { adjudicationProcess } from './adjudication.js';
import type { PrescriptionProcessDeps } from './deps.js';
import { drugReviewProcess } from './drugReview.js';
import { notificationsProcess } from './notifications.js';
import { paymentProcess } from './payment.js';
import { refundsProcess } from './refunds.js';
import { routingProcess } from './routing.js';
import { completionProcess, shippingProcess } from './shipping.js';
import { validationProcess } from './validation.js';

export type { PrescriptionProcessDeps } from './deps.js';

/** Every process manager of the prescription flow, in the order an order meets them. */
export const prescriptionProcesses = (deps: PrescriptionProcessDeps): ProcessManager[] => [
  validationProcess(deps),
  notificationsProcess(deps),
  routingProcess(deps),
  drugReviewProcess(deps),
  adjudicationProcess(deps),
  paymentProcess(deps),
  refundsProcess(deps),
  shippingProcess(deps),
  completionProcess(deps),
];
