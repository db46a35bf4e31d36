import { z } from 'zod';
import { PHARMACY_VIEW_NAMES } from '../../projections/consultations/consultationQueries.js';
import { instant, type Wire } from './common.js';
import { plan, planPrice, productKind } from './consultationCatalogue.js';
import { consultationStatus } from './consultationPatient.js';
import { orderEventRecord } from './orders.js';

/**
 * The pharmacy team's side (`/api/pharmacy/…`): the queue, one case with its history, and stock.
 * The team console imports the inferred types, so a changed field breaks its build.
 */

export const answerValue = z.union([z.boolean(), z.number(), z.string(), z.array(z.string()).readonly()]);

export const renewalOverlap = z.object({
  activeConsultationId: z.string(),
  activePlanEndsAt: z.string(),
  banner: z.string(),
});

export const pharmacyListItem = z.object({
  consultationId: z.string(),
  status: consultationStatus,
  statusSince: instant,
  patientName: z.string().nullable(),
  product: z.object({ id: z.string(), name: z.string(), kind: productKind }),
  plan: plan.nullable(),
  supplyNumber: z.number().int().nullable(),
  trackingNumber: z.string().nullable(),
  planEndsAt: instant.nullable(),
  lastActivityAt: instant.nullable(),
  flags: z.object({
    renewalOverlap: renewalOverlap.nullable(),
    repeatSubmission: z.boolean(),
    outOfStock: z.boolean(),
    cancellationRequestedAt: instant.nullable(),
    draftInactiveSince: instant.nullable(),
    refundFailed: z.boolean(),
  }),
  /** A vendor call waiting or flagged for this case (null: none open). */
  pending: z.string().nullable(),
});
export type PharmacyListItem = Wire<typeof pharmacyListItem>;

export const pharmacyList = z.object({
  view: z.enum(PHARMACY_VIEW_NAMES),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  items: z.array(pharmacyListItem),
});
export type PharmacyList = Wire<typeof pharmacyList>;

export const incident = z.object({
  state: z.enum(['pending_api_unavailable', 'manual_handling']),
  integration: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: instant.nullable(),
  lastError: z.string(),
  processManager: z.string(),
  triggerEventId: z.string(),
});
export type Incident = Wire<typeof incident>;

export const productSnapshot = z.object({
  productId: z.string(),
  name: z.string(),
  kind: productKind,
  coldChain: z.boolean(),
  pricePence: z.number().int(),
  planLengthsMonths: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).readonly(),
  allowsOneOff: z.boolean(),
  allowsInstalments: z.boolean(),
  gracePeriodExtraMonths: z.number().int(),
  questionnaireVersion: z.string(),
});
export type ProductSnapshot = Wire<typeof productSnapshot>;

export const message = z.object({
  from: z.enum(['clinician', 'patient']),
  text: z.string(),
  at: instant,
  by: z.string(),
});
export type Message = Wire<typeof message>;

export const decision = z.object({
  outcome: z.enum(['approved', 'denied']),
  by: z.string(),
  role: z.string(),
  note: z.string(),
  at: instant,
});
export type Decision = Wire<typeof decision>;

export const identity = z.object({
  verifiedAt: instant.nullable(),
  electronic: z.array(z.object({ outcome: z.enum(['pass', 'fail']), reference: z.string(), at: instant })),
  document: z.object({ key: z.string(), contentType: z.string(), uploadedAt: instant }).nullable(),
  manualReview: z
    .object({ outcome: z.enum(['pass', 'fail']), reviewerId: z.string(), reason: z.string(), at: instant })
    .nullable(),
  documentCheck: z.object({ outcome: z.string(), reference: z.string(), checkedAt: instant }).nullable(),
});
export type Identity = Wire<typeof identity>;

const supply = z.object({
  number: z.number().int(),
  slipId: z.string().nullable(),
  packed: z.boolean(),
  blockedOutOfStockAt: instant.nullable(),
  shipmentId: z.string().nullable(),
  lastTrackingAt: instant.nullable(),
});

const refund = z.object({
  reason: z.enum([
    'id_check_failed',
    'clinical_denial',
    'patient_cancellation',
    'consultation_timeout',
    'delivery_failed',
  ]),
  amountPence: z.number().int(),
  requestedAt: instant,
  /** The status the refund closes (rejected, cancelled, abandoned, delivery_failed). */
  closes: z.union([consultationStatus, z.literal('none')]),
  confirmed: z.object({ refundId: z.string(), confirmedAt: instant }).nullable(),
});

export const prescriptionScope = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('7A'), kind: z.literal('single_order') }),
  z.object({
    phase: z.literal('7B'),
    kind: z.literal('full_plan'),
    months: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  }),
]);

export const pharmacyCase = z.object({
  consultationId: z.string(),
  status: consultationStatus,
  statusSince: instant,
  pending: z.string().nullable(),
  incidents: z.array(incident),
  patient: z
    .object({
      consultationId: z.string(),
      patientRef: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      email: z.string(),
      phone: z.string().nullable(),
      address: z.object({
        line1: z.string(),
        line2: z.string().optional(),
        town: z.string(),
        postcode: z.string(),
      }),
      nhsNumber: z.string().nullable(),
      gpConsent: z.object({ given: z.boolean(), recordedAt: instant }),
      /** The date of birth the patient gave, beside the ID the team compares it with. */
      dateOfBirth: answerValue.nullable(),
    })
    .nullable(),
  product: productSnapshot.nullable(),
  plan: plan.nullable(),
  price: planPrice.nullable(),
  period: z.object({ startsAt: instant, endsAt: instant, suppliesTotal: z.number().int() }).nullable(),
  supply: supply.nullable(),
  suppliesDispatched: z.number().int(),
  flags: z.object({
    repeatSubmission: z
      .object({
        priorConsultationId: z.string(),
        diff: z.array(
          z.object({
            questionId: z.string(),
            questionText: z.string(),
            before: answerValue.nullable(),
            after: answerValue.nullable(),
          }),
        ),
      })
      .nullable(),
    renewalOverlap: renewalOverlap.nullable(),
    draftInactiveSince: instant.nullable(),
    cancellationRequestedAt: instant.nullable(),
    outOfStockSince: instant.nullable(),
  }),
  charges: z.array(
    z.object({ number: z.number().int(), paymentIntentId: z.string(), amountPence: z.number().int() }),
  ),
  stripeCustomerId: z.string().nullable(),
  instalmentCharges: z.array(
    z.object({
      chargeNumber: z.number().int(),
      ok: z.boolean(),
      failureCode: z.string().nullable(),
      at: instant,
    }),
  ),
  paymentFailures: z.array(z.object({ checkoutSessionId: z.string(), failureCode: z.string(), at: instant })),
  refund: refund.nullable(),
  refundsFailed: z.array(z.object({ refundId: z.string(), reason: z.string().nullable() })),
  identity,
  decision: decision.nullable(),
  /** For the clinical record only, never shown to the patient. */
  autoDenial: z
    .object({ ruleIds: z.array(z.string()), reasons: z.array(z.string()), at: instant })
    .nullable(),
  messages: z.array(message),
  prescription: z
    .object({ id: z.string(), scope: prescriptionScope, signedAt: instant.nullable() })
    .nullable(),
  gpLetter: z.object({ letterId: z.string(), sentAt: instant }).nullable(),
  pmr: z.object({ pmrPatientId: z.string(), method: z.string(), at: instant }).nullable(),
  shipments: z.array(
    z.object({
      supplyNumber: z.number().int(),
      shipmentId: z.string(),
      trackingNumber: z.string(),
      service: z.string(),
      at: instant,
    }),
  ),
  tracking: z.array(
    z.object({
      supplyNumber: z.number().int(),
      status: z.string(),
      details: z.string().nullable(),
      source: z.string(),
      at: instant,
    }),
  ),
  deliveryActions: z.array(
    z.object({
      supplyNumber: z.number().int(),
      action: z.string(),
      note: z.string(),
      by: z.string(),
      at: instant,
    }),
  ),
  cancellation: z.object({ reason: z.string(), by: z.string(), at: instant }).nullable(),
  planDates: z.object({
    endsAt: instant.nullable(),
    graceEndsAt: instant.nullable(),
    completedAt: instant.nullable(),
  }),
  renewalOf: z.string().nullable(),
  renewalConsultationId: z.string().nullable(),
  consultationRequired: z.object({ reason: z.string(), at: instant }).nullable(),
  lastActivityAt: instant.nullable(),
});
export type PharmacyCase = Wire<typeof pharmacyCase>;

/** An event of either of the consultation's streams (the case and its account facts), as orders send theirs. */
export const consultationEventRecord = orderEventRecord.extend({ stream: z.string() });
export type ConsultationEventRecord = Wire<typeof consultationEventRecord>;

export const consultationHistory = z.object({
  consultationId: z.string(),
  events: z.array(consultationEventRecord),
});
export type ConsultationHistory = Wire<typeof consultationHistory>;

export const integrationRetryAccepted = z.object({ consultationId: z.string(), retrying: z.literal(true) });

export const stockItem = z.object({
  productId: z.string(),
  name: z.string(),
  onHand: z.number().int(),
  threshold: z.number().int(),
  low: z.boolean(),
  outOfStock: z.boolean(),
  receivedTotal: z.number().int(),
  reservedTotal: z.number().int(),
  updatedAt: instant.nullable(),
});
export type StockItem = Wire<typeof stockItem>;

export const stockList = z.object({ items: z.array(stockItem) });
export type StockList = Wire<typeof stockList>;

export const stockChanged = z.object({ productId: z.string(), onHand: z.number().int() });
export type StockChanged = Wire<typeof stockChanged>;
