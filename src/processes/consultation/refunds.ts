import type { ConsultationEvent } from '../../domain/consultation/consultationEvents.js';
import type { ProcessManager } from '../runtime.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Every refund of the flow goes through here: `RefundRequested` (the decider allows one per
 * consultation) becomes one Stripe refund per payment it covers, each keyed by this event, so a
 * redelivery or a retry after an outage never refunds twice. Stripe's webhook confirms it.
 */
export const refundsProcess = (deps: ConsultationProcessDeps): ProcessManager => ({
  name: 'consultation-refunds',
  filter: { kind: 'eventTypes', eventTypes: ['RefundRequested'] },
  async handle(recorded, context) {
    if (!isConsultationEvent(recorded)) return;
    const event = { type: recorded.type, data: recorded.data } as ConsultationEvent;
    if (event.type !== 'RefundRequested') return;
    const consultationId = consultationIdOf(recorded);
    const state = await deps.commands.load(consultationId);
    for (const paymentIntentId of event.data.paymentIntentIds) {
      const charge = state.charges.find((c) => c.paymentIntentId === paymentIntentId);
      if (!charge)
        throw new Error(`payment ${paymentIntentId} is not a charge of consultation ${consultationId}`);
      await deps.payments.refund({
        idempotencyKey: context.idempotencyKey(`refund:${paymentIntentId}`),
        paymentIntentId,
        amountMinor: charge.amountPence,
        reason: 'requested_by_customer',
        metadata: {
          flow: 'consultation',
          consultationId,
          refundRequestId: recorded.id,
          reason: event.data.reason,
        },
      });
    }
  },
});
