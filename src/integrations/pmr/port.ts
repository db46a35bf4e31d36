/**
 * Phase 9: once an order is confirmed, the patient and the order are pushed to the pharmacy's
 * patient medication record (PMR), where dispensing is recorded. A POM order carries the signed
 * prescription; a P medicine carries the pharmacist's approval instead (no prescription exists).
 */
export type PmrPatient = {
  /** The platform's patient id: the PMR files the patient under it, so a re-push updates. */
  patientRef: string;
  firstName: string;
  lastName: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  address: { line1: string; line2?: string; town: string; postcode: string };
  nhsNumber?: string;
  email?: string;
  phone?: string;
};

export type PmrOrderItem = {
  productName: string;
  quantity: number;
  dosage?: string;
  instructions?: string;
};

/** Exactly one authority to supply: a prescription (POM) or a pharmacist's approval (P). */
export type SupplyAuthority =
  | { prescriptionId: string; pharmacistApprovalRef?: never }
  | { pharmacistApprovalRef: string; prescriptionId?: never };

export type PmrOrder = { reference: string; items: PmrOrderItem[] } & SupplyAuthority;

export type PushPatientAndOrderInput = {
  /** From the triggering event id: a retry finds the order the first push created. */
  idempotencyKey: string;
  patient: PmrPatient;
  order: PmrOrder;
};

/**
 * Calls throw VendorUnavailableError (retry on the platform's schedule; the fallback is a manual
 * export) or VendorRejectedError (never retried).
 */
export type PmrSync = {
  pushPatientAndOrder(input: PushPatientAndOrderInput): Promise<{ pmrPatientId: string; pmrOrderId: string }>;
};
