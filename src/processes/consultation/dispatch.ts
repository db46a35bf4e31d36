import { dispatchServiceFor } from '../../commands/consultation/slip.js';
import { DISPATCH_SERVICES } from '../../integrations/dispatch/port.js';
import type { ProcessManager } from '../runtime.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';

/**
 * Phase 11: a packed supply is booked with Royal Mail Click & Drop (chilled parcels by Special
 * Delivery), its label kept in document storage for the team to print, and the order dispatched.
 */
export const dispatchProcess = (deps: ConsultationProcessDeps): ProcessManager => ({
  name: 'consultation-dispatch',
  filter: { kind: 'eventTypes', eventTypes: ['SupplyPacked'] },
  async handle(event, context) {
    if (!isConsultationEvent(event)) return;
    const consultationId = consultationIdOf(event);
    const { supplyNumber } = event.data as { supplyNumber: number };
    const state = await deps.commands.load(consultationId);
    const supply = state.supply;
    // The recorded shipment, not the carrier, is what prevents booking twice.
    if (state.status !== 'dispatch_pending' || !supply || supply.number !== supplyNumber) return;
    if (!supply.packed || supply.shipmentId || !state.product) return;
    const patient = (await deps.commands.account(consultationId)).patient;
    if (!patient) throw new Error(`consultation ${consultationId} has no patient details`);
    const coldChain = state.product.coldChain;
    const serviceCode = dispatchServiceFor(coldChain);
    const booked = await deps.dispatch.createShipment({
      idempotencyKey: context.idempotencyKey('shipment'),
      orderReference: `${consultationId}-${supplyNumber}`,
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
    });
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
      { actor: 'system:dispatch', idParts: [booked.orderIdentifier], causationId: event.id },
    );
    await commandFrom(deps, event, context, 'system:dispatch', {
      type: 'RecordShipment',
      shipmentId: booked.orderIdentifier,
      trackingNumber: booked.trackingNumber,
      service: DISPATCH_SERVICES[serviceCode],
      now: context.clock.now().toISOString(),
    });
  },
});
