/**
 * What the platform keeps beside a consultation that is not part of its clinical decisions: who
 * the patient is and where they live, the Stripe customer that pays the instalments, the links
 * vendors handed back (checkout page, signing page), charges falling due and refunds as Stripe
 * settles them. Each is a plain fact with an id derived from its cause, appended to the
 * consultation's account stream, so a repeated append is a no-op.
 */
export const accountStream = (consultationId: string) => `consultationaccount-${consultationId}`;

export type PostalAddress = { line1: string; line2?: string; town: string; postcode: string };

export type PatientDetails = {
  consultationId: string;
  patientRef: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  address: PostalAddress;
  nhsNumber: string | null;
  /** The GP letter is written only with this consent; starting a consultation asks for it. */
  gpConsent: { given: boolean; recordedAt: string };
};

export type AccountEvent =
  | { type: 'PatientDetailsRecorded'; data: PatientDetails }
  /** The patient asked for order updates (dispatch, delivery) by text too, on this UK mobile. */
  | { type: 'SmsUpdatesChosen'; data: { phone: string } }
  | {
      type: 'CheckoutLinkCreated';
      data: { checkoutSessionId: string; url: string; expiresAt: string; amountPence: number };
    }
  | { type: 'StripeCustomerLinked'; data: { customerId: string; checkoutSessionId: string } }
  | {
      type: 'ClinicianCredentialsRecorded';
      data: { clinicianId: string; fullName: string; registrationNumber: string; role: string };
    }
  | { type: 'PrescriptionSigningLinkCreated'; data: { prescriptionId: string; signingUrl: string } }
  | { type: 'InstalmentChargeDue'; data: { chargeNumber: number; dueAt: string; attempt: number } }
  | {
      type: 'RefundSettled';
      data: {
        refundRequestId: string;
        refundId: string;
        paymentIntentId: string | null;
        amountPence: number;
        stripeEventId: string;
      };
    }
  | {
      type: 'RefundFailedAtStripe';
      data: { refundRequestId: string; refundId: string; reason: string | null; stripeEventId: string };
    }
  | {
      type: 'IdDocumentChecked';
      data: { outcome: 'pass' | 'fail' | 'manual_review'; reference: string; checkedAt: string };
    }
  | { type: 'ShippingLabelStored'; data: { supplyNumber: number; shipmentId: string; key: string | null } }
  /** Money a checkout took when the consultation no longer wanted it: refunded at once. */
  | {
      type: 'UnexpectedPaymentReceived';
      data: { paymentIntentId: string; checkoutSessionId: string; amountPence: number; reason: string };
    }
  /** Ops asked Stripe again for refunds that failed (an expired card, a closed account). */
  | { type: 'RefundRetryRequested'; data: { refundRequestId: string; attempt: number; requestedBy: string } }
  /** Recorded before a vendor record is made, so a retry looks for it before making another. */
  | {
      type: 'VendorRecordRequested';
      data: { vendor: 'royalmail' | 'signaturerx'; reference: string; purpose: string };
    };

export type AccountEventType = AccountEvent['type'];

export const ACCOUNT_EVENT_TYPES: readonly AccountEventType[] = [
  'PatientDetailsRecorded',
  'SmsUpdatesChosen',
  'CheckoutLinkCreated',
  'StripeCustomerLinked',
  'ClinicianCredentialsRecorded',
  'PrescriptionSigningLinkCreated',
  'InstalmentChargeDue',
  'RefundSettled',
  'RefundFailedAtStripe',
  'IdDocumentChecked',
  'ShippingLabelStored',
  'VendorRecordRequested',
  'UnexpectedPaymentReceived',
  'RefundRetryRequested',
];

export type Account = {
  patient: PatientDetails | null;
  /** The mobile (E.164) order updates are texted to; null for e-mail only. */
  smsPhone: string | null;
  checkoutLinks: { checkoutSessionId: string; url: string; expiresAt: string; amountPence: number }[];
  stripeCustomerId: string | null;
  clinicians: Record<string, { fullName: string; registrationNumber: string; role: string }>;
  signingLinks: Record<string, string>;
  refundsSettled: {
    refundRequestId: string;
    refundId: string;
    paymentIntentId: string | null;
    amountPence: number;
  }[];
  refundsFailed: { refundRequestId: string; refundId: string }[];
  refundRetries: number;
  unexpectedPayments: { paymentIntentId: string; amountPence: number }[];
  idDocumentCheck: { outcome: string; reference: string; checkedAt: string } | null;
};

export const emptyAccount = (): Account => ({
  patient: null,
  smsPhone: null,
  checkoutLinks: [],
  stripeCustomerId: null,
  clinicians: {},
  signingLinks: {},
  refundsSettled: [],
  refundsFailed: [],
  refundRetries: 0,
  unexpectedPayments: [],
  idDocumentCheck: null,
});

export const evolveAccount = (account: Account, recorded: { type: string; data: unknown }): Account => {
  const event = recorded as AccountEvent;
  switch (event.type) {
    case 'PatientDetailsRecorded':
      return { ...account, patient: event.data };
    case 'SmsUpdatesChosen':
      return { ...account, smsPhone: event.data.phone };
    case 'CheckoutLinkCreated':
      return { ...account, checkoutLinks: [...account.checkoutLinks, event.data] };
    case 'StripeCustomerLinked':
      return { ...account, stripeCustomerId: event.data.customerId };
    case 'ClinicianCredentialsRecorded': {
      const { clinicianId, ...rest } = event.data;
      return { ...account, clinicians: { ...account.clinicians, [clinicianId]: rest } };
    }
    case 'PrescriptionSigningLinkCreated':
      return {
        ...account,
        signingLinks: { ...account.signingLinks, [event.data.prescriptionId]: event.data.signingUrl },
      };
    case 'RefundSettled':
      return {
        ...account,
        refundsSettled: [
          ...account.refundsSettled,
          {
            refundRequestId: event.data.refundRequestId,
            refundId: event.data.refundId,
            paymentIntentId: event.data.paymentIntentId,
            amountPence: event.data.amountPence,
          },
        ],
      };
    case 'RefundFailedAtStripe':
      return {
        ...account,
        refundsFailed: [
          ...account.refundsFailed,
          { refundRequestId: event.data.refundRequestId, refundId: event.data.refundId },
        ],
      };
    case 'RefundRetryRequested':
      return { ...account, refundRetries: Math.max(account.refundRetries, event.data.attempt) };
    case 'UnexpectedPaymentReceived':
      return {
        ...account,
        unexpectedPayments: [
          ...account.unexpectedPayments,
          { paymentIntentId: event.data.paymentIntentId, amountPence: event.data.amountPence },
        ],
      };
    case 'IdDocumentChecked':
      return { ...account, idDocumentCheck: event.data };
    default:
      return account;
  }
};
