import { DomainError } from '../decider.js';
import type { CommandOf } from './consultationCommands.js';
import type { ConsultationEvent } from './consultationEvents.js';
import type { ConsultationState } from './consultationState.js';
import { planOf, productOf, requireStatus } from './guards.js';
import { planOffered, priceOf } from './plan.js';

export type CheckoutCommand = CommandOf<
  'ChoosePlan' | 'RecordCheckoutStarted' | 'RecordPaymentCaptured' | 'RecordPaymentFailed'
>;

const sessionOf = (state: ConsultationState, checkoutSessionId: string) => {
  const session = state.checkoutSessions.find((s) => s.id === checkoutSessionId);
  if (!session) {
    throw new DomainError(
      'not_found',
      'UNKNOWN_CHECKOUT_SESSION',
      'the payment does not belong to a checkout of this consultation',
    );
  }
  return session;
};

export const decideCheckout = (command: CheckoutCommand, state: ConsultationState): ConsultationEvent[] => {
  switch (command.type) {
    case 'ChoosePlan': {
      requireStatus(state, ['awaiting_payment'], 'choose a plan');
      const { plan, product } = command;
      if (product.id !== productOf(state).productId) {
        throw new DomainError(
          'invalid',
          'PRODUCT_MISMATCH',
          'the plan must be for the product of this consultation',
        );
      }
      if (!planOffered(product, plan)) {
        throw new DomainError('invalid', 'PLAN_NOT_OFFERED', `${product.name} is not offered as this plan`, {
          plan,
        });
      }
      return [{ type: 'PlanChosen', data: { plan, price: priceOf(product, plan), chosenAt: command.now } }];
    }

    case 'RecordCheckoutStarted': {
      requireStatus(state, ['awaiting_payment'], 'start checkout');
      const plan = planOf(state);
      if (state.checkoutSessions.some((s) => s.id === command.checkoutSessionId)) return [];
      return [
        {
          type: 'CheckoutStarted',
          data: {
            checkoutSessionId: command.checkoutSessionId,
            plan,
            // One-off: the whole order. Instalments: the first month; the rest are charged monthly.
            amountPence: state.price!.firstChargePence,
            startedAt: command.now,
          },
        },
      ];
    }

    case 'RecordPaymentCaptured': {
      if (state.charges.some((c) => c.paymentIntentId === command.paymentIntentId)) return [];
      requireStatus(state, ['awaiting_payment'], 'record a payment');
      const session = sessionOf(state, command.checkoutSessionId);
      if (command.amountPence !== session.amountPence) {
        throw new DomainError(
          'invalid',
          'PAYMENT_AMOUNT_MISMATCH',
          'the captured amount differs from the checkout amount',
          {
            expected: session.amountPence,
            captured: command.amountPence,
          },
        );
      }
      const captured: ConsultationEvent = {
        type: 'PaymentCaptured',
        data: {
          checkoutSessionId: session.id,
          paymentIntentId: command.paymentIntentId,
          plan: session.plan,
          amountPence: command.amountPence,
          capturedAt: command.now,
        },
      };
      // A renewal's patient was verified for the treatment it continues; LexisNexis is not asked twice.
      const renewal = state.renewalOf;
      return renewal
        ? [
            captured,
            {
              type: 'IdentityVerified',
              data: {
                method: 'carried_over',
                reference: renewal.previousConsultationId,
                verifiedAt: command.now,
              },
            },
          ]
        : [captured];
    }

    case 'RecordPaymentFailed':
      // A failure reported after another attempt succeeded changes nothing.
      if (state.status !== 'awaiting_payment') return [];
      sessionOf(state, command.checkoutSessionId);
      return [
        {
          type: 'PaymentFailed',
          data: {
            checkoutSessionId: command.checkoutSessionId,
            failureCode: command.failureCode,
            failedAt: command.now,
          },
        },
      ];
  }
};
