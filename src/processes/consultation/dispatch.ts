import { dispatchServiceFor } from '../../commands/consultation/slip.js';
import { DISPATCH_SERVICES } from '../../integrations/dispatch/port.js';
import { VendorRejectedError, VendorUnavailableError } from '../../integrations/errors.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Phase 11: a packed supply is booked with Royal Mail Click & Drop (chilled parcels by Special
 * Delivery), its label kept in document storage for the team to print, and the order dispatched.
 */
export const dispatchProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-dispatch',
    handles: ['SupplyPacked'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);
      const { supplyNumber } = event.data;
      const state = await deps.commands.load(consultationId);
      const supply = state.supply;
      // The recorded shipment, not the carrier, is what prevents booking twice.
      if (state.status !== 'dispatch_pending' || !supply || supply.number !== supplyNumber) return;
      if (!supply.packed || supply.shipmentId || !state.product) return;
      const patient = (await deps.commands.account(consultationId)).patient;
      if (!patient) throw new Error(`consultation ${consultationId} has no patient details`);
      const coldChain = state.product.coldChain;
      const serviceCode = dispatchServiceFor(coldChain);
      const orderReference = `${consultationId}-${supplyNumber}`;
      // The intent first: if it was already on record, an earlier attempt may have booked the parcel.
      const firstAttempt = await deps.commands.recordFact(
        consultationId,
        {
          type: 'VendorRecordRequested',
          data: { vendor: 'royalmail', reference: orderReference, purpose: 'shipment' },
        },
        {
          actor: 'system:dispatch',
          idParts: ['shipment', orderReference],
          causationId: event.id,
          correlationId: event.metadata.correlationId,
        },
      );
      const earlier = firstAttempt ? null : await deps.dispatch.findShipment(orderReference);
      const booked =
        earlier ??
        (await deps.dispatch.createShipment({
          idempotencyKey: context.idempotencyKey('shipment'),
          orderReference,
          recipient: {
            name: `${patient.firstName} ${patient.lastName}`,
            addressLine1: patient.address.line1,
            ...(patient.address.line2 ? { addressLine2: patient.address.line2 } : {}),
            city: patient.address.town,
            postcode: patient.address.postcode,
            countryCode: 'GB',
            email: patient.email,
            ...(patient.phone ? { phone: patient.phone } : {}),
          },
          packages: [
            coldChain
              ? { weightGrams: 900, packageFormat: 'smallParcel' }
              : { weightGrams: 150, packageFormat: 'largeLetter' },
          ],
          serviceCode,
        }));
      const key = booked.labelPdf
        ? `consultations/${consultationId}/label-${supplyNumber}-${booked.orderIdentifier}.pdf`
        : null;
      if (booked.labelPdf && key) {
        await deps.documents.put({
          key,
          body: booked.labelPdf,
          contentType: 'application/pdf',
          metadata: { consultation: consultationId },
        });
      }
      await deps.commands.recordFact(
        consultationId,
        { type: 'ShippingLabelStored', data: { supplyNumber, shipmentId: booked.orderIdentifier, key } },
        {
          actor: 'system:dispatch',
          idParts: [booked.orderIdentifier],
          causationId: event.id,
          correlationId: event.metadata.correlationId,
        },
      );
      await commandFrom(deps, event, context, 'system:dispatch', {
        type: 'RecordShipment',
        shipmentId: booked.orderIdentifier,
        trackingNumber: booked.trackingNumber,
        service: DISPATCH_SERVICES[serviceCode],
        now: context.clock.now().toISOString(),
      });
      await context.schedule({
        name: 'poll',
        key: booked.trackingNumber,
        dueAt: new Date(context.clock.now().getTime() + deps.trackingPollMs),
        payload: { trackingNumber: booked.trackingNumber, polls: 1 },
      });
    },
    timers: {
      /**
       * Royal Mail pushes each scan, but a push can be lost (the platform down through every
       * redelivery): the parcel's tracking is also read now and then until it is delivered or fails.
       */
      async poll(payload, context) {
        const { trackingNumber, polls } = payload as { trackingNumber: string; polls: number };
        let scan: Awaited<ReturnType<typeof deps.dispatch.getTracking>> | null = null;
        try {
          scan = await deps.dispatch.getTracking(trackingNumber);
        } catch (error) {
          // No scan yet (Royal Mail answers 404), or Royal Mail down: the next poll asks again.
          if (!(error instanceof VendorRejectedError) && !(error instanceof VendorUnavailableError))
            throw error;
        }
        const outcome = scan ? await deps.commands.vendor.trackingEvent(scan) : { handled: true };
        if (!outcome.handled) return; // not one of ours any more (a newer month, a reshipment)
        const final = scan && ['delivered', 'delivery_failed', 'returned'].includes(scan.status);
        if (!final && polls < MAX_POLLS) {
          await context.schedule({
            name: 'poll',
            key: `${trackingNumber}:${polls + 1}`,
            dueAt: new Date(context.clock.now().getTime() + deps.trackingPollMs),
            payload: { trackingNumber, polls: polls + 1 },
          });
        }
      },
    },
  });

/** Two weeks of polls at the default interval; pushes keep working after that. */
const MAX_POLLS = 672;
