import type { Pharmacy } from '../../domain/routing/network.js';
import { drugProfile } from '../../domain/routing/rank.js';
import type { Parcel } from '../../integrations/shipping/port.js';
import type { ProcessManager } from '../runtime.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

/** An insulated shipper with gel packs for refrigerated drugs; a padded mailer otherwise. */
const parcelFor = (coldChain: boolean): Parcel =>
  coldChain
    ? { lengthIn: 12, widthIn: 10, heightIn: 9, weightOz: 72 }
    : { lengthIn: 9, widthIn: 6, heightIn: 3, weightOz: 12 };

/** Buys the label once the order is paid (or reshipped) and starts tracking it. */
export const shippingProcess = (deps: PrescriptionProcessDeps): ProcessManager => ({
  name: 'prescription-shipping',
  filter: { kind: 'eventTypes', eventTypes: ['PaymentReceived', 'PaymentWaived', 'ReshipmentRequested'] },
  async handle(event, context) {
    const orderId = orderIdOf(event);
    const state = await deps.commands.load(orderId);
    // The recorded label, not the vendor, is what prevents buying a second one.
    if (state.status !== 'paid' || state.label || !state.prescription || !state.pharmacyId) return;
    const { rows } = await deps.pool.query<{ data: Pharmacy }>(
      'SELECT data FROM pharmacies WHERE pharmacy_id = $1',
      [state.pharmacyId],
    );
    const pharmacy = rows[0]?.data;
    if (!pharmacy) throw new Error(`pharmacy ${state.pharmacyId} is not in the network read model`);
    const patient = state.prescription.patient;
    const coldChain = drugProfile(state.normalisedNdc ?? '').requiresColdChain;
    const label = await deps.carrier.buyLabel({
      idempotencyKey: context.idempotencyKey('label'),
      from: {
        name: pharmacy.name,
        street1: pharmacy.address.line1,
        city: pharmacy.address.city,
        state: pharmacy.address.state,
        zip: pharmacy.address.postalCode,
        country: 'US',
      },
      to: {
        name: [patient.firstName, patient.lastName].filter(Boolean).join(' '),
        street1: patient.address?.line1 ?? '',
        street2: patient.address?.line2,
        city: patient.address?.city ?? '',
        state: patient.address?.state ?? '',
        zip: patient.address?.postalCode ?? '',
        country: patient.address?.country ?? 'US',
        phone: patient.phone,
        email: state.email ?? undefined,
        residential: true,
      },
      parcel: parcelFor(coldChain),
      coldChain,
      orderRef: orderId,
    });
    await commandFrom(deps, event, context, 'system:shipping', {
      type: 'RecordShippingLabel',
      coldChain,
      label: {
        shipmentId: label.shipmentId,
        transactionId: label.transactionId,
        carrier: label.carrier,
        serviceLevel: label.serviceLevel,
        trackingNumber: label.trackingNumber,
        labelUrl: label.labelUrl,
        trackingUrl: label.trackingUrl ?? null,
        costMinor: label.amountMinor,
      },
    });
    await context.schedule({
      name: 'poll',
      key: label.trackingNumber,
      dueAt: new Date(context.clock.now().getTime() + deps.trackingPollMs),
      payload: { orderId, carrier: label.carrier, trackingNumber: label.trackingNumber, polls: 1 },
    });
  },
  timers: {
    /** Polls the carrier until the parcel is delivered or fails; webhooks may get there first. */
    async poll(payload, context) {
      const { orderId, carrier, trackingNumber, polls } = payload as {
        orderId: string;
        carrier: string;
        trackingNumber: string;
        polls: number;
      };
      const state = await deps.commands.load(orderId);
      if (!['shipped', 'in_transit', 'out_for_delivery'].includes(state.status)) return;
      if (state.label?.trackingNumber !== trackingNumber) return; // reshipped under a new label
      try {
        const update = await deps.carrier.getTracking(carrier, trackingNumber);
        await recordTracking(deps, orderId, update, 'system:tracking-poll');
      } catch {
        // Polling is periodic: a failed poll (carrier down) is simply followed by the next one.
      }
      const after = await deps.commands.load(orderId);
      if (['shipped', 'in_transit', 'out_for_delivery'].includes(after.status) && polls < MAX_POLLS) {
        await context.schedule({
          name: 'poll',
          key: `${trackingNumber}:${polls + 1}`,
          dueAt: new Date(context.clock.now().getTime() + deps.trackingPollMs),
          payload: { orderId, carrier, trackingNumber, polls: polls + 1 },
        });
      }
    },
  },
});

/** Two weeks of polls at the default interval; webhooks keep working after that. */
const MAX_POLLS = 672;

type TrackingUpdate = Awaited<ReturnType<PrescriptionProcessDeps['carrier']['getTracking']>>;

/** Records a carrier update once (by tracking number, status and time) whichever way it arrived. */
export const recordTracking = async (
  deps: Pick<PrescriptionProcessDeps, 'commands'>,
  orderId: string,
  update: TrackingUpdate,
  actor: string,
) => {
  if (update.status === 'pre_transit' || update.status === 'unknown') return;
  await deps.commands.execute(
    orderId,
    {
      type: 'RecordTracking',
      status: update.status,
      statusDate: update.statusDate,
      details: update.details ?? null,
    },
    { actor, commandId: `tracking:${update.trackingNumber}:${update.status}:${update.statusDate}` },
  );
};

/** A delivered order is complete; the patient's e-mail and the audit entry follow from that event. */
export const completionProcess = (deps: PrescriptionProcessDeps): ProcessManager => ({
  name: 'prescription-completion',
  filter: { kind: 'eventTypes', eventTypes: ['DeliveryStatusUpdated'] },
  async handle(event, context) {
    if ((event.data as { status: string }).status !== 'delivered') return;
    await commandFrom(deps, event, context, 'system:completion', {
      type: 'CompleteOrder',
      now: context.clock.now().toISOString(),
    });
  },
});
