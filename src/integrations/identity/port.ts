/**
 * Phase 4: after payment, the patient's identity is checked electronically. A pass lets the
 * consultation reach the clinical queue; a refer or fail asks the patient for a photo ID, which is
 * checked in turn and may go to a person (manual review). A final fail is rejected and refunded.
 */
export type VerificationOutcome = 'pass' | 'refer' | 'fail';

export type IdentityCheck = {
  /** `address`, `date_of_birth`, `mortality`, `sanctions`, `pep`. */
  name: string;
  result: 'pass' | 'fail';
};

export type VerifyIdentityInput = {
  /** From the triggering event id: a retry returns the first answer and is billed once. */
  idempotencyKey: string;
  person: {
    firstName: string;
    lastName: string;
    /** `YYYY-MM-DD`. */
    dateOfBirth: string;
    email?: string;
  };
  address: { line1: string; line2?: string; town: string; postcode: string; country: 'GB' };
};

export type IdentityVerification = {
  outcome: VerificationOutcome;
  /** The vendor's search reference: what a document upload and an audit quote. */
  reference: string;
  /** The vendor's score behind the outcome, kept for the audit trail. */
  score: number;
  checks: IdentityCheck[];
};

export type SubmitDocumentInput = {
  idempotencyKey: string;
  /** The `reference` of the verification the document supports. */
  reference: string;
  documentType: 'passport' | 'driving_licence';
  image: Buffer;
  /** `image/jpeg`, `image/png` or `application/pdf`. */
  contentType: string;
};

export type DocumentVerification = {
  outcome: 'pass' | 'fail' | 'manual_review';
  reference: string;
};

/**
 * Calls throw VendorUnavailableError (retry on the platform's schedule) or VendorRejectedError
 * (a business outcome such as an unreadable image, never retried).
 */
export type IdentityVerifier = {
  verify(input: VerifyIdentityInput): Promise<IdentityVerification>;
  submitDocument(input: SubmitDocumentInput): Promise<DocumentVerification>;
};
