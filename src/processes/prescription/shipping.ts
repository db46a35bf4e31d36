import { recordTracking } from '../../commands/prescription/tracking.js';
import { IN_CARRIER_HANDS } from '../../domain/prescription/order.js';
import type { LabelPurchase, OrderState } from '../../domain/prescription/orderState.js';
import { VendorRejectedError, VendorUnavailableError } from '../../integrations/errors.js';
import { coldChainShipment, parcelFor } from '../../integrations/shipping/chooseRate.js';
import type { LabelQuote, PurchasedLabel } from '../../integrations/shipping/port.js';
import { findDrug } from '../../projections/catalogue/drugCatalogue.js';
import { findPharmacy } from '../../projections/pharmacyQueries.js';
import { type Reactor, reactor } from '../reactor.js';
import type { ProcessContext, ProcessManager } from '../runtime.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

const isInCarrierHands = (status: OrderState['status']) =>
  (IN_CARRIER_HANDS as readonly string[]).includes(status);

/**
 * Buys the label once the order is paid (or reshipped) and starts tracking it. A label costs
 * money and Shippo keeps no idempotency keys, so the chosen rate is recorded before it is bought:
 * any later attempt (after a crash, a timeout or a redelivery) first asks Shippo whether that rate
 * was already bought, and adopts the label if so.
 */
export const shippingProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-shipping',
    handles: ['PaymentReceived', 'PaymentWaived', 'PaymentMismatchAccepted', 'ReshipmentRequested'],
    async handle(event, context) {
      const orderId = orderIdOf(event);
      const state = await deps.commands.load(orderId);
      if (state.label && isInCarrierHands(state.status)) {
        // Bought and recorded before a crash: make sure its tracking polls were scheduled.
        await schedulePoll(deps, context, orderId, state.label.carrier, state.label.trackingNumber, 1);
        return;
      }
      if (state.status !== 'paid' || state.label || !state.prescription || !state.pharmacyId) return;
      const pharmacy = await findPharmacy(deps.pool, state.pharmacyId);
      if (!pharmacy) throw new Error(`pharmacy ${state.pharmacyId} is not in the network read model`);
      // The catalogue decides how the parcel travels; a drug it cannot place is parked, never sent ambient.
      const drug = state.normalisedNdc ? await findDrug(deps.pool, state.normalisedNdc) : null;
      const shipment = coldChainShipment(state.normalisedNdc, drug, pharmacy);

      const purchase =
        state.labelPurchase ?? (await startPurchase(deps, event, context, state, pharmacy, shipment));
      if (!purchase) return;
      const label =
        (state.labelPurchase ? await deps.carrier.findPurchasedLabel(purchase) : null) ??
        (await buy(deps, event, context, purchase));
      await commandFrom(deps, event, context, 'system:shipping', {
        type: 'RecordShippingLabel',
        coldChain: purchase.coldChain,
        storageClass: shipment.storageClass,
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
      await schedulePoll(deps, context, orderId, label.carrier, label.trackingNumber, 1);
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
        if (!isInCarrierHands(state.status)) return;
        if (state.label?.trackingNumber !== trackingNumber) return; // reshipped under a new label
        try {
          const update = await deps.carrier.getTracking(carrier, trackingNumber);
          await recordTracking(deps, orderId, update, 'system:tracking-poll');
        } catch (error) {
          // A carrier that is down is simply polled again later; anything else is a bug to see.
          if (!isVendorFailure(error)) throw error;
        }
        const after = await deps.commands.load(orderId);
        if (isInCarrierHands(after.status) && polls < MAX_POLLS) {
          await schedulePoll(deps, context, orderId, carrier, trackingNumber, polls + 1);
        }
      },
    },
  });

const isVendorFailure = (error: unknown) =>
  error instanceof VendorRejectedError || error instanceof VendorUnavailableError;

/** Quotes a rate and records it as the purchase about to be made; null if the order moved on. */
const startPurchase = async (
  deps: PrescriptionProcessDeps,
  event: Parameters<ProcessManager['handle']>[0],
  context: ProcessContext,
  state: OrderState,
  pharmacy: NonNullable<Awaited<ReturnType<typeof findPharmacy>>>,
  { storageClass, coldChain }: ReturnType<typeof coldChainShipment>,
): Promise<LabelPurchase | null> => {
  const patient = state.prescription!.patient;
  const address = state.contact?.address ?? patient.address ?? {};
  const quote = await deps.carrier.quoteLabel({
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
      street1: address.line1 ?? '',
      street2: address.line2,
      city: address.city ?? '',
      state: address.state ?? '',
      zip: address.postalCode ?? '',
      country: address.country ?? 'US',
      phone: state.contact?.phone ?? patient.phone,
      email: state.email ?? undefined,
      residential: true,
    },
    parcel: parcelFor(storageClass),
    storageClass,
    orderRef: orderIdOf(event),
  });
  const started = await commandFrom(
    deps,
    event,
    context,
    'system:shipping',
    { type: 'StartLabelPurchase', ...quote, coldChain },
    `StartLabelPurchase:${quote.rateId}`,
  );
  const recorded = started.state.labelPurchase;
  return recorded?.rateId === quote.rateId ? recorded : null;
};

/** Buys the recorded rate; a rate Shippo refuses was never bought, so the next attempt quotes again. */
const buy = async (
  deps: PrescriptionProcessDeps,
  event: Parameters<ProcessManager['handle']>[0],
  context: ProcessContext,
  purchase: LabelQuote,
): Promise<PurchasedLabel> => {
  try {
    return await deps.carrier.purchaseLabel({
      quote: purchase,
      idempotencyKey: context.idempotencyKey('label'),
    });
  } catch (error) {
    if (
      error instanceof VendorRejectedError &&
      (error.code === 'rate_unavailable' || error.code === 'label_purchase_failed')
    ) {
      await commandFrom(
        deps,
        event,
        context,
        'system:shipping',
        { type: 'AbandonLabelPurchase', rateId: purchase.rateId, reason: error.message },
        `AbandonLabelPurchase:${purchase.rateId}`,
      );
    }
    throw error;
  }
};

const schedulePoll = (
  deps: Pick<PrescriptionProcessDeps, 'trackingPollMs'>,
  context: Pick<ProcessContext, 'schedule' | 'clock'>,
  orderId: string,
  carrier: string,
  trackingNumber: string,
  polls: number,
) =>
  context.schedule({
    name: 'poll',
    key: polls === 1 ? trackingNumber : `${trackingNumber}:${polls}`,
    dueAt: new Date(context.clock.now().getTime() + deps.trackingPollMs),
    payload: { orderId, carrier, trackingNumber, polls },
  });

/** Two weeks of polls at the default interval; webhooks keep working after that. */
const MAX_POLLS = 672;

/** A delivered order is complete; the patient's e-mail and the audit entry follow from that event. */
export const completionProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-completion',
    handles: ['DeliveryStatusUpdated'],
    async handle(event, context) {
      if (event.data.status !== 'delivered') return;
      await commandFrom(deps, event, context, 'system:completion', {
        type: 'CompleteOrder',
        now: context.clock.now().toISOString(),
      });
    },
  });
