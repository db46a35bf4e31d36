import { HOUR } from '../../platform/clock.js';
import { type Reactor, reactor } from '../reactor.js';
import type { ProcessManager } from '../runtime.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';
import { statusUrl } from './notifications.js';

/** How long a payment link stays open; an expired one is replaced by a new link. */
export const PAYMENT_LINK_HOURS = 23;

/** Stripe wants a checkout to stay open at least 30 minutes; an hour leaves the patient time to pay. */
const LATEST_START_MS = HOUR;

/**
 * Opens a Stripe Checkout for the patient's amount after adjudication (or again after a link
 * expired or a wrong payment was refunded), or waives a zero amount. A cancelled order closes its
 * till: the open checkout is expired at Stripe so the patient can no longer pay it.
 */
export const paymentProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-payment',
    handles: ['ClaimAdjudicated', 'PaymentLinkExpired', 'PaymentReopened', 'OrderCancelled'],
    async handle(recorded, context) {
      const orderId = orderIdOf(recorded);
      const event = recorded;
      const state = await deps.commands.load(orderId);
      if (event.type === 'OrderCancelled') {
        await closeTill(deps, recorded, context, state.paymentSessions.at(-1), state.closedSessions);
        return;
      }
      if (state.status !== 'adjudicated' && state.status !== 'awaiting_payment') return;
      if (event.type === 'PaymentLinkExpired' && state.paymentSessions.at(-1) !== event.data.sessionId) {
        return; // a newer link already replaced the one that expired
      }
      const amountMinor = state.adjudication?.patientPaysAfterCouponMinor ?? 0;
      if (amountMinor === 0) {
        await commandFrom(deps, recorded, context, 'system:payment', { type: 'WaivePayment' });
        return;
      }
      // A redelivery must send Stripe exactly what the first attempt sent under its key, so the
      // expiry and the return links (their patient key is dated) come from the triggering event, not
      // from now; a retry so late that this expiry has (nearly) passed asks for a checkout of its own.
      const triggeredAt = Date.parse(recorded.metadata.occurredAt);
      const late = triggeredAt + PAYMENT_LINK_HOURS * HOUR - context.clock.now().getTime() < LATEST_START_MS;
      const opened = late ? context.clock.now().getTime() : triggeredAt;
      const issuedAt = new Date(opened);
      const status = statusUrl(deps, orderId, { issuedAt });
      const checkout = await deps.payments.createCheckout({
        idempotencyKey: context.idempotencyKey(late ? `checkout:${opened}` : 'checkout'),
        orderRef: orderId,
        amountMinor,
        currency: 'usd',
        description: 'Specialty prescription — patient responsibility',
        customerEmail: state.email ?? undefined,
        successUrl: statusUrl(deps, orderId, { paid: true, issuedAt }),
        cancelUrl: status,
        expiresAt: new Date(opened + PAYMENT_LINK_HOURS * HOUR),
        metadata: { flow: 'prescription', orderId },
      });
      const result = await commandFrom(deps, recorded, context, 'system:payment', {
        type: 'RecordPaymentLink',
        sessionId: checkout.sessionId,
        url: checkout.url,
        expiresAt: checkout.expiresAt,
        amountMinor,
      });
      // Cancelled while the checkout was being opened: no one has its link, but close it all the same.
      if (result.state.status === 'cancelled' && !result.state.paymentSessions.includes(checkout.sessionId)) {
        await deps.payments.expireCheckout({ sessionId: checkout.sessionId });
        return;
      }
      await context.schedule({
        name: 'check',
        key: checkout.sessionId,
        dueAt: new Date(context.clock.now().getTime() + deps.paymentCheckMs),
        payload: { orderId, sessionId: checkout.sessionId, checks: 1 },
      });
    },
    timers: {
      /**
       * Reads an open checkout back from Stripe: a payment whose webhook was lost (the platform down
       * through every redelivery) is recorded all the same. Until the checkout ends, checked again.
       */
      async check(payload, context) {
        const { orderId, sessionId, checks } = payload as {
          orderId: string;
          sessionId: string;
          checks: number;
        };
        const state = await deps.commands.load(orderId);
        if (state.payments.some((p) => p.sessionId === sessionId)) return;
        const session = await deps.payments.getCheckout(sessionId);
        if (session.status === 'complete' && session.paid && session.paymentIntentId) {
          await deps.commands.execute(
            orderId,
            {
              type: 'RecordPayment',
              sessionId,
              paymentIntentId: session.paymentIntentId,
              stripeEventId: `checkout-check:${sessionId}`,
              amountMinor: session.amountMinor ?? 0,
              currency: session.currency ?? 'unknown',
            },
            { actor: 'system:payment-check', commandId: context.commandId(`check:${sessionId}`) },
          );
          return;
        }
        if (session.status === 'open') {
          await context.schedule({
            name: 'check',
            key: `${sessionId}:${checks + 1}`,
            dueAt: new Date(context.clock.now().getTime() + deps.paymentCheckMs),
            payload: { orderId, sessionId, checks: checks + 1 },
          });
        }
      },
    },
  });

const closeTill = async (
  deps: PrescriptionProcessDeps,
  recorded: Parameters<ProcessManager['handle']>[0],
  context: Parameters<ProcessManager['handle']>[1],
  sessionId: string | undefined,
  closed: readonly string[],
) => {
  if (!sessionId || closed.includes(sessionId)) return;
  const outcome = await deps.payments.expireCheckout({ sessionId });
  // `complete`: the patient paid first; that payment's webhook refunds it.
  await commandFrom(
    deps,
    recorded,
    context,
    'system:payment',
    { type: 'RecordPaymentLinkClosed', sessionId, outcome: outcome.status },
    `RecordPaymentLinkClosed:${sessionId}`,
  );
};
