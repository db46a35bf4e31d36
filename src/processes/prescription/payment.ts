import { HOUR } from '../../platform/clock.js';
import type { ProcessManager } from '../runtime.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';
import { statusUrl } from './notifications.js';

/** How long a payment link stays open; an expired one is replaced by a new link. */
export const PAYMENT_LINK_HOURS = 23;

/** Opens a Stripe Checkout for the patient's amount after adjudication, or waives a zero amount. */
export const paymentProcess = (deps: PrescriptionProcessDeps): ProcessManager => ({
  name: 'prescription-payment',
  filter: { kind: 'eventTypes', eventTypes: ['ClaimAdjudicated', 'PaymentLinkExpired'] },
  async handle(event, context) {
    const orderId = orderIdOf(event);
    const state = await deps.commands.load(orderId);
    if (state.status !== 'adjudicated' && state.status !== 'awaiting_payment') return;
    if (
      event.type === 'PaymentLinkExpired' &&
      state.paymentSessions.at(-1) !== (event.data as { sessionId: string }).sessionId
    ) {
      return; // a newer link already replaced the one that expired
    }
    const amountMinor = state.adjudication?.patientPaysAfterCouponMinor ?? 0;
    if (amountMinor === 0) {
      await commandFrom(deps, event, context, 'system:payment', { type: 'WaivePayment' });
      return;
    }
    const status = statusUrl(deps, orderId);
    const checkout = await deps.payments.createCheckout({
      idempotencyKey: context.idempotencyKey('checkout'),
      orderRef: orderId,
      amountMinor,
      currency: 'usd',
      description: 'Specialty prescription — patient responsibility',
      customerEmail: state.email ?? undefined,
      successUrl: statusUrl(deps, orderId, { paid: true }),
      cancelUrl: status,
      expiresAt: new Date(context.clock.now().getTime() + PAYMENT_LINK_HOURS * HOUR),
      metadata: { flow: 'prescription', orderId },
    });
    await commandFrom(deps, event, context, 'system:payment', {
      type: 'RecordPaymentLink',
      sessionId: checkout.sessionId,
      url: checkout.url,
      expiresAt: checkout.expiresAt,
      amountMinor,
    });
  },
});
