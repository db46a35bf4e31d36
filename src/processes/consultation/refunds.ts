import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Every refund of the flow goes through here: `RefundRequested` (the decider allows one per
 * consultation) becomes one Stripe refund per payment it covers, each keyed by this event, so a
 * redelivery or a retry after an outage never refunds twice. Stripe's webhook confirms it. When
 * Stripe fails a refund (an expired card), ops ask again: `RefundRetryRequested` refunds what has
 * not settled, under keys of that attempt, for the same request.
 */
export const refundsProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-refunds',
    categories: ['consultation', 'consultationaccount'],
    handles: ['RefundRequested', 'RefundRetryRequested'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const consultationId = consultationIdOf(recorded);
      const state = await deps.commands.load(consultationId);
      const refund = (paymentIntentId: string, key: string, refundRequestId: string, reason: string) => {
        const charge = state.charges.find((c) => c.paymentIntentId === paymentIntentId);
        if (!charge)
          throw new Error(`payment ${paymentIntentId} is not a charge of consultation ${consultationId}`);
        return deps.payments.refund({
          idempotencyKey: context.idempotencyKey(key),
          paymentIntentId,
          amountMinor: charge.amountPence,
          reason: 'requested_by_customer',
          metadata: { flow: 'consultation', consultationId, refundRequestId, reason },
        });
      };

      if (recorded.type === 'RefundRetryRequested') {
        const { refundRequestId } = recorded.data;
        if (!state.refund || state.refund.confirmed) return;
        const account = await deps.commands.account(consultationId);
        const settled = new Set(
          account.refundsSettled
            .filter((r) => r.refundRequestId === refundRequestId)
            .map((r) => r.paymentIntentId),
        );
        for (const charge of state.charges) {
          if (settled.has(charge.paymentIntentId)) continue;
          await refund(
            charge.paymentIntentId,
            `refund:${charge.paymentIntentId}`,
            refundRequestId,
            state.refund.reason,
          );
        }
        return;
      }

      const event = recorded;
      if (event.type !== 'RefundRequested') return;
      for (const paymentIntentId of event.data.paymentIntentIds) {
        await refund(paymentIntentId, `refund:${paymentIntentId}`, recorded.id, event.data.reason);
      }
    },
  });

/**
 * A case cancelled before it was paid closes its till: the open checkout is expired at Stripe, so
 * the patient can no longer pay for something that will not come. A payment that won the race is
 * recorded and refunded when its webhook arrives.
 */
export const checkoutClosingProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-checkout-closing',
    handles: ['ConsultationCancelled'],
    async handle(recorded) {
      if (!isConsultationEvent(recorded)) return;
      const { fromStatus } = recorded.data;
      if (fromStatus !== 'awaiting_payment') return;
      const account = await deps.commands.account(consultationIdOf(recorded));
      const open = account.checkoutLinks.at(-1);
      if (!open || Date.parse(open.expiresAt) <= deps.clock.now().getTime()) return;
      await deps.payments.expireCheckout({ sessionId: open.checkoutSessionId });
    },
  });

/**
 * Reads each checkout back from Stripe after a while: a payment whose webhook was lost (the
 * platform down through every redelivery) is taken all the same, as the webhook would have.
 */
export const checkoutCheckProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-checkout-check',
    handles: ['CheckoutLinkCreated'],
    async handle(recorded, context) {
      if (!isConsultationEvent(recorded)) return;
      const { checkoutSessionId } = recorded.data;
      await context.schedule({
        name: 'check',
        key: checkoutSessionId,
        dueAt: new Date(context.clock.now().getTime() + deps.paymentCheckMs),
        payload: { consultationId: consultationIdOf(recorded), checkoutSessionId, checks: 1 },
      });
    },
    timers: {
      async check(payload, context) {
        const { consultationId, checkoutSessionId, checks } = payload as {
          consultationId: string;
          checkoutSessionId: string;
          checks: number;
        };
        // Only a case still waiting for this money (or closed while it was) needs Stripe asked.
        const state = await deps.commands.load(consultationId);
        if (state.status !== 'awaiting_payment' && state.status !== 'cancelled') return;
        if (state.status === 'cancelled' && state.charges.length > 0) return;
        const session = await deps.payments.getCheckout(checkoutSessionId);
        if (session.status === 'complete' && session.paid && session.paymentIntentId) {
          await deps.commands.vendor.checkoutCompleted(consultationId, {
            kind: 'checkoutCompleted',
            stripeEventId: `checkout-check:${checkoutSessionId}`,
            sessionId: checkoutSessionId,
            orderRef: consultationId,
            paid: true,
            paymentIntentId: session.paymentIntentId,
            setupIntentId: null,
            customerId: session.customerId,
            amountMinor: session.amountMinor,
            currency: session.currency,
            metadata: session.metadata,
          });
          return;
        }
        if (session.status === 'open') {
          await context.schedule({
            name: 'check',
            key: `${checkoutSessionId}:${checks + 1}`,
            dueAt: new Date(context.clock.now().getTime() + deps.paymentCheckMs),
            payload: { consultationId, checkoutSessionId, checks: checks + 1 },
          });
        }
      },
    },
  });
