/**
 * Phase 7: a prescriber approves a POM consultation, the platform creates the prescription, and
 * the prescriber signs it in the e-prescribing service's portal. The signature is final: a signed
 * prescription is never changed or voided. Its webhook starts Phase 8 (GP letter, patient message,
 * pharmacy queue).
 */
import type { WebhookHeaders } from './signedWebhook.js';

export { InvalidSignatureError, UnreadableWebhookError, type WebhookHeaders } from './signedWebhook.js';

export type PrescribedItem = {
  productName: string;
  /** e.g. `2.5 mg`. */
  dosage: string;
  /** Packs or units, as the product is dispensed. */
  quantity: number;
  /** Directions for the patient, printed on the label. */
  instructions: string;
};

export type CreatePrescriptionInput = {
  /** From the triggering event id: a retry returns the prescription the first call created. */
  idempotencyKey: string;
  /** The consultation this prescription answers; every webhook carries it back. */
  consultationRef: string;
  patient: {
    name: string;
    /** `YYYY-MM-DD`. */
    dob: string;
    address: { line1: string; line2?: string; town: string; postcode: string };
    /** Ten digits, when the patient gave it. */
    nhsNumber?: string;
  };
  prescriber: { id: string; name: string; gphcOrGmcNumber: string };
  items: PrescribedItem[];
  /** 1 = a single order (7A); 2–3 = one prescription covering an instalment plan (7B). */
  coversMonths: number;
};

export type CreatedPrescription = {
  prescriptionId: string;
  status: 'awaiting_signature';
  /** Where the prescriber signs; sent to them, never to the patient. */
  signingUrl: string;
};

export type CancelPrescriptionInput = {
  idempotencyKey: string;
  prescriptionId: string;
  reason: string;
};

export type PrescriptionWebhookEvent =
  | {
      kind: 'signed';
      /** The vendor's event id: the key that makes Phase 8's effects happen once. */
      eventId: string;
      prescriptionId: string;
      consultationRef: string;
      /** UTC ISO-8601. */
      signedAt: string;
    }
  | {
      kind: 'cancelled';
      eventId: string;
      prescriptionId: string;
      consultationRef: string;
      cancelledAt: string;
      reason: string;
    };

/**
 * Calls throw VendorUnavailableError (retry on the platform's schedule) or VendorRejectedError
 * (never retried; `rx_final` when the prescription is already signed).
 */
export type PrescribingService = {
  createPrescription(input: CreatePrescriptionInput): Promise<CreatedPrescription>;
  /**
   * A prescription already created for this consultation and not withdrawn, if any: what a retry
   * after a crash or a timeout adopts instead of creating a second one.
   */
  findPrescription(consultationRef: string): Promise<CreatedPrescription | null>;
  /** Withdraws a prescription the prescriber has not signed yet, e.g. the patient cancelled. */
  cancelPrescription(
    input: CancelPrescriptionInput,
  ): Promise<{ prescriptionId: string; status: 'cancelled' }>;
  /** Throws InvalidSignatureError (answer 401) or UnreadableWebhookError. */
  parseWebhook(rawBody: Buffer | string, headers: WebhookHeaders): PrescriptionWebhookEvent;
};
