import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Order updates by text for a patient who asked for them when starting the consultation: the
 * parcel sent, the parcel delivered. Like the US texts they name no treatment and no person; the
 * tracking number is the one detail the patient may need at the door. Keys come from the event.
 */
const optOut = ' Reply STOP to opt out.';
export const patientTexts = {
  dispatched: (pharmacy: string, trackingNumber: string) =>
    `${pharmacy}: your order has been dispatched by Royal Mail, tracking number ${trackingNumber}.${optOut}`,
  delivered: (pharmacy: string) =>
    `${pharmacy}: your order has been delivered. Details are in the e-mail we sent you.${optOut}`,
};

export const patientTextsProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-patient-texts',
    handles: ['OrderDispatched', 'SupplyDelivered'],
    async handle(recorded, context) {
      if (!deps.sms || !isConsultationEvent(recorded)) return;
      const phone = (await deps.commands.account(consultationIdOf(recorded))).smsPhone;
      if (!phone) return;
      const event = recorded;
      const pharmacy = deps.team.pharmacy.name;
      const body =
        event.type === 'OrderDispatched'
          ? patientTexts.dispatched(pharmacy, event.data.trackingNumber)
          : event.type === 'SupplyDelivered'
            ? patientTexts.delivered(pharmacy)
            : null;
      if (body) await deps.sms.send({ to: phone, body, idempotencyKey: context.idempotencyKey('sms') });
    },
  });
