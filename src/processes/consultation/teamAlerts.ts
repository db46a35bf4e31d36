import { findProduct } from '../../domain/consultation/catalogue.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf } from './deps.js';
import { teamEmails } from './emails.js';
import { pharmacyUrl } from './pharmacyQueue.js';

/**
 * What the pharmacy team must act on, by e-mail as it happens: a patient asking to cancel, a
 * paused instalment plan, a failed or returned parcel, dispatch blocked for want of stock, a
 * refund Stripe could not make, and stock falling to its alert threshold.
 */
export const teamAlertsProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-team-alerts',
    handles: [
      'CancellationRequested',
      'InstalmentPaused',
      'DeliveryFailed',
      'DispatchBlockedOutOfStock',
      'RefundFailedAtStripe',
      'LowStockReached',
    ],
    async handle(recorded, context) {
      const to = deps.team.pharmacyTeamEmail;
      const send = (mail: { subject: string; text: string }) =>
        deps.mailer.send({ to, ...mail, idempotencyKey: context.idempotencyKey('email') });

      if (recorded.type === 'LowStockReached') {
        if (!recorded.streamName.startsWith('stock-')) return;
        const { data } = recorded;
        const product = findProduct(data.productId);
        await send(
          teamEmails.lowStock(
            product?.name ?? data.productId,
            data.onHand,
            data.threshold,
            `${deps.publicUrl}/pharmacy/stock`,
          ),
        );
        return;
      }

      const consultationId = consultationIdOf(recorded);
      const url = pharmacyUrl(deps.publicUrl, consultationId);
      if (recorded.type === 'RefundFailedAtStripe') {
        if (!recorded.streamName.startsWith('consultationaccount-')) return;
        await send(teamEmails.refundFailed(consultationId, recorded.data.reason, url));
        return;
      }
      if (!recorded.streamName.startsWith('consultation-')) return;
      const event = recorded;
      switch (event.type) {
        case 'CancellationRequested':
          await send(teamEmails.cancellationRequested(consultationId, event.data.message, url));
          return;
        case 'InstalmentPaused':
          await send(teamEmails.instalmentPaused(consultationId, event.data.chargeNumber, url));
          return;
        case 'DeliveryFailed':
          await send(teamEmails.deliveryFailed(consultationId, event.data.outcome, url));
          return;
        case 'DispatchBlockedOutOfStock': {
          const product = findProduct(event.data.productId);
          await send(teamEmails.outOfStock(consultationId, product?.name ?? event.data.productId, url));
          return;
        }
      }
    },
  });
