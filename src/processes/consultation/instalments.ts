import { DAY } from '../../platform/clock.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

type ChargeTimer = { consultationId: string; chargeNumber: number; dueAt: string; attempt: number };

/** A plan still running: its later months are charged, now or once the month before allows. */
const OPEN = ['dispatch_pending', 'dispatched', 'delivered', 'delivery_failed', 'instalment_paused'];
/** The month before has not reached the patient: the next charge waits for it. */
const WAITING = ['dispatch_pending', 'delivery_failed'];

/**
 * Phase 13: charges 2..N of an instalment plan, each on its day, on the card saved at checkout.
 * A durable timer marks the charge due (a fact on the account stream), and the charge is made from
 * that fact, so an unreachable Stripe gets the platform's retry schedule like any vendor call. The
 * plan has a fixed number of charges and ends by itself; a decline pauses it.
 */
export const instalmentsProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-instalments',
    handles: ['PlanStarted', 'InstalmentChargeDue'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);

      if (event.type === 'PlanStarted') {
        const { instalmentChargesDueAt } = event.data;
        for (const [index, dueAt] of instalmentChargesDueAt.entries()) {
          const chargeNumber = index + 2;
          await context.schedule({
            name: 'charge-due',
            key: `${consultationId}:${chargeNumber}:1`,
            dueAt: new Date(dueAt),
            payload: { consultationId, chargeNumber, dueAt, attempt: 1 } satisfies ChargeTimer,
          });
        }
        return;
      }

      const due = event.data;
      const state = await deps.commands.load(consultationId);
      if (state.plan?.kind !== 'instalment' || !state.price) return;
      const next = state.charges.length + 1;
      if (due.chargeNumber < next) return; // paid already
      const turn = due.chargeNumber === next;
      if (!OPEN.includes(state.status)) return; // cancelled, refunded, ended: nothing more is taken
      if (!turn || WAITING.includes(state.status)) {
        // An earlier month is unpaid, or last month's supply has not reached the patient yet:
        // this charge waits, looked at again tomorrow.
        await context.schedule({
          name: 'charge-due',
          key: `${consultationId}:${due.chargeNumber}:${due.attempt + 1}`,
          dueAt: new Date(context.clock.now().getTime() + DAY),
          payload: {
            consultationId,
            chargeNumber: due.chargeNumber,
            dueAt: due.dueAt,
            attempt: due.attempt + 1,
          } satisfies ChargeTimer,
        });
        return;
      }
      const customerId = (await deps.commands.account(consultationId)).stripeCustomerId;
      if (!customerId) throw new Error(`consultation ${consultationId} has no saved card to charge`);
      const outcome = await deps.payments.chargeSavedCard({
        idempotencyKey: context.idempotencyKey('charge'),
        customerId,
        amountMinor: state.price.monthlyPence,
        currency: 'gbp',
        description: `${state.product?.name ?? 'Treatment'}: month ${due.chargeNumber} of ${state.plan.months}`,
        metadata: {
          flow: 'consultation',
          consultationId,
          kind: 'instalment',
          chargeNumber: String(due.chargeNumber),
        },
      });
      await commandFrom(deps, event, context, 'system:instalments', {
        type: 'RecordInstalmentCharge',
        chargeNumber: due.chargeNumber,
        outcome: outcome.ok
          ? { ok: true, paymentIntentId: outcome.paymentIntentId, amountPence: state.price.monthlyPence }
          : { ok: false, failureCode: outcome.declineCode },
        now: context.clock.now().toISOString(),
      });
    },
    timers: {
      async 'charge-due'(payload) {
        const timer = payload as ChargeTimer;
        await deps.commands.recordFact(
          timer.consultationId,
          {
            type: 'InstalmentChargeDue',
            data: { chargeNumber: timer.chargeNumber, dueAt: timer.dueAt, attempt: timer.attempt },
          },
          { actor: 'system:instalment-timer', idParts: [timer.chargeNumber, 'scheduled', timer.attempt] },
        );
      },
    },
  });
