import { DomainError } from '../../domain/decider.js';
import { streamId } from '../../eventstore/types.js';
import type { TrackingEvent } from '../../integrations/dispatch/port.js';
import type { PaymentWebhookEvent } from '../../integrations/payments/port.js';
import type { PrescriptionWebhookEvent } from '../../integrations/prescribing/port.js';
import { deterministicId } from '../../platform/ids.js';
import { findParcel } from '../parcels.js';
import type { ConsultationCore } from './core.js';

type Event<K extends PaymentWebhookEvent['kind']> = Extract<PaymentWebhookEvent, { kind: K }>;

/** Commands caused by a vendor's event carry its id, so a redelivery is answered, not re-applied. */
const fromVendorEvent = (vendor: string, eventId: string) => deterministicId(`${vendor}-event`, eventId);

/** Royal Mail's scan vocabulary, as the consultation decider reads a parcel's progress. */
const trackingStatus = {
  accepted: 'in_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  delivery_failed: 'failed',
  returned: 'returned',
} as const;

/** What vendors report back (Stripe, SignatureRx, Royal Mail), each turned into one fact or command. */
export const vendorFacts = (core: ConsultationCore) => {
  const { deps, now, execute, history, load, account, recordFact } = core;

  return {
    async checkoutCompleted(consultationId: string, event: Event<'checkoutCompleted'>) {
      if (!event.paid || !event.paymentIntentId) return;
      if (event.customerId) {
        await recordFact(
          consultationId,
          {
            type: 'StripeCustomerLinked',
            data: { customerId: event.customerId, checkoutSessionId: event.sessionId },
          },
          { actor: 'webhook:stripe', idParts: [event.sessionId] },
        );
      }
      const state = await load(consultationId);
      const alreadyCharged = state.charges.some((c) => c.paymentIntentId === event.paymentIntentId);
      /** Money the case cannot take (paid twice, after a cancellation, a wrong amount): recorded, then given back. */
      const refundUnexpected = async (reason: string) => {
        const paymentIntentId = event.paymentIntentId!;
        await recordFact(
          consultationId,
          {
            type: 'UnexpectedPaymentReceived',
            data: {
              paymentIntentId,
              checkoutSessionId: event.sessionId,
              amountPence: event.amountMinor ?? 0,
              reason,
            },
          },
          { actor: 'webhook:stripe', idParts: [paymentIntentId] },
        );
        await deps.payments.refund({
          idempotencyKey: deterministicId('consultation-duplicate-payment', paymentIntentId),
          paymentIntentId,
          reason: 'duplicate',
          metadata: {
            flow: 'consultation',
            consultationId,
            kind: reason,
            refundRequestId: `unexpected:${paymentIntentId}`,
          },
        });
      };
      if (alreadyCharged) return;
      if (state.status !== 'awaiting_payment') {
        await refundUnexpected(state.status === 'cancelled' ? 'consultation_cancelled' : 'duplicate_payment');
        return;
      }
      if (event.currency !== null && event.currency !== 'gbp') {
        await refundUnexpected('currency_mismatch');
        return;
      }
      try {
        await execute(
          consultationId,
          {
            type: 'RecordPaymentCaptured',
            checkoutSessionId: event.sessionId,
            paymentIntentId: event.paymentIntentId,
            amountPence: event.amountMinor ?? 0,
            now: now(),
          },
          { actor: 'webhook:stripe', commandId: fromVendorEvent('stripe', event.stripeEventId) },
        );
      } catch (error) {
        const code = error instanceof DomainError ? error.code : '';
        if (code !== 'PAYMENT_AMOUNT_MISMATCH' && code !== 'UNKNOWN_CHECKOUT_SESSION') throw error;
        await refundUnexpected(code.toLowerCase());
      }
    },

    /** A declined card on the checkout page: still awaiting payment, and the patient can try again. */
    async checkoutPaymentFailed(consultationId: string, event: Event<'paymentFailed'>) {
      const state = await load(consultationId);
      const session = state.checkoutSessions.at(-1);
      if (!session) return;
      await execute(
        consultationId,
        {
          type: 'RecordPaymentFailed',
          checkoutSessionId: session.id,
          failureCode: event.declineCode ?? 'card_declined',
          now: now(),
        },
        { actor: 'webhook:stripe', commandId: fromVendorEvent('stripe', event.stripeEventId) },
      );
    },

    /**
     * Stripe settled one refund. A refund request may span several payments (instalments), so the
     * consultation counts as refunded once every payment of the request is back.
     */
    async refundSettled(consultationId: string, event: Event<'refundSucceeded'>) {
      const refundRequestId = event.metadata.refundRequestId;
      if (!refundRequestId) return;
      await recordFact(
        consultationId,
        {
          type: 'RefundSettled',
          data: {
            refundRequestId,
            refundId: event.refundId,
            paymentIntentId: event.paymentIntentId,
            amountPence: event.amountMinor,
            stripeEventId: event.stripeEventId,
          },
        },
        { actor: 'webhook:stripe', idParts: [event.refundId] },
      );
      const [state, facts] = await Promise.all([load(consultationId), account(consultationId)]);
      if (!state.refund || state.refund.confirmed) return;
      const settled = facts.refundsSettled.filter((r) => r.refundRequestId === refundRequestId);
      const amountPence = settled.reduce((sum, r) => sum + r.amountPence, 0);
      if (amountPence < state.refund.amountPence) return;
      await execute(
        consultationId,
        {
          type: 'RecordRefundConfirmed',
          refundId: settled.map((r) => r.refundId).join(','),
          stripeEventId: event.stripeEventId,
          amountPence,
          now: now(),
        },
        { actor: 'webhook:stripe', commandId: deterministicId('refund-confirmed', refundRequestId) },
      );
    },

    refundFailed: (consultationId: string, event: Event<'refundFailed'>) =>
      recordFact(
        consultationId,
        {
          type: 'RefundFailedAtStripe',
          data: {
            refundRequestId: event.metadata.refundRequestId ?? '',
            refundId: event.refundId,
            reason: event.failureReason,
            stripeEventId: event.stripeEventId,
          },
        },
        { actor: 'webhook:stripe', idParts: [event.refundId] },
      ),

    /** SignatureRx's signed webhook: final, and Phase 8 starts from it. */
    async prescriptionEvent(event: PrescriptionWebhookEvent) {
      if (event.kind !== 'signed') return { handled: false };
      const state = await load(event.consultationRef);
      if (state.status === 'none') return { handled: false };
      await execute(
        event.consultationRef,
        {
          type: 'RecordPrescriptionSigned',
          prescriptionId: event.prescriptionId,
          webhookEventId: event.eventId,
          signedAt: event.signedAt,
        },
        { actor: 'webhook:signaturerx', commandId: fromVendorEvent('signaturerx', event.eventId) },
      );
      return { handled: true };
    },

    /** A Royal Mail scan, for the parcel of the month it belongs to; older months' echoes are history. */
    async trackingEvent(event: TrackingEvent) {
      // Found through the parcel's link stream, not a read model: a scan pushed right after
      // dispatch is not lost. The supply is the one the consultation dispatched under this number.
      const parcel = await findParcel(deps.store, event.trackingNumber);
      if (!parcel?.streamName.startsWith('consultation-')) return { handled: false };
      const consultationId = streamId(parcel.streamName);
      const dispatched = (await history(consultationId)).findLast(
        (e) =>
          e.type === 'OrderDispatched' &&
          (e.data as { trackingNumber: string }).trackingNumber === event.trackingNumber,
      );
      if (!dispatched) return { handled: false };
      const shipment = {
        consultation_id: consultationId,
        supply_number: (dispatched.data as { supplyNumber: number }).supplyNumber,
      };
      const state = await load(shipment.consultation_id);
      if (state.supply?.number !== shipment.supply_number) return { handled: false };
      const scanId = deterministicId('royal-mail-scan', event.trackingNumber, event.status, event.occurredAt);
      await execute(
        shipment.consultation_id,
        {
          type: 'RecordTracking',
          status: trackingStatus[event.status],
          source: { kind: 'royal_mail', webhookEventId: scanId },
          details: event.description ?? null,
          statusAt: event.occurredAt,
        },
        { actor: 'webhook:royalmail', commandId: scanId },
      );
      return { handled: true };
    },
  };
};
