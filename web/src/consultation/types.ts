import type { ConsultationStatus } from '../../../src/domain/consultation/consultationEvents.js';
import type { Plan, PlanPrice } from '../../../src/domain/consultation/plan.js';
import type {
  Answers,
  AnswerValue,
  QuestionnaireStep,
} from '../../../src/domain/consultation/questionnaire.js';
import type { RenewalOverlap, ReviewFlags } from '../../../src/http/contracts/consultationReview.js';

export type { ConsultationStatus } from '../../../src/domain/consultation/consultationEvents.js';
export type { Plan, PlanPrice } from '../../../src/domain/consultation/plan.js';
export type {
  Answers,
  AnswerValue,
  Question,
  QuestionnaireStep,
} from '../../../src/domain/consultation/questionnaire.js';

/** The shapes the consultation API answers with (src/http/routes/consultation*.ts). */

export type ProductKind = 'POM' | 'P';
export type StockLevel = 'in_stock' | 'low' | 'out_of_stock' | 'unknown';
export type OfferedPlan = Plan & { price: PlanPrice };

export type ProductSummary = {
  id: string;
  name: string;
  kind: ProductKind;
  coldChain: boolean;
  pricePence: number;
  plans: OfferedPlan[];
  gracePeriodExtraMonths: number;
  stock: { onHand: number | null; level: StockLevel };
};
export type ProductDetail = ProductSummary & {
  questionnaire: { version: string; steps: QuestionnaireStep[] };
};

export type PatientConsultation = {
  consultationId: string;
  status: ConsultationStatus;
  statusSince: string;
  pending: string | null;
  product: { id: string; name: string; kind: ProductKind } | null;
  renewalOf: string | null;
  questionnaire: { version: string; steps: QuestionnaireStep[] } | null;
  answers: Answers;
  outcome: { message: string } | null;
  plan: Plan | null;
  price: PlanPrice | null;
  checkout: { url: string; amountPence: number; expiresAt: string } | null;
  lastPaymentFailure: { checkoutSessionId: string; failureCode: string; at: string } | null;
  idDocumentRequested: boolean;
  messages: { from: 'clinician' | 'patient'; text: string; at: string }[];
  period: { startsAt: string; endsAt: string | null; supplies: number } | null;
  graceEndsAt: string | null;
  shipments: { supplyNumber: number; trackingNumber: string; service: string; at: string }[];
  tracking: { supplyNumber: number; status: string; at: string }[];
  cancellationRequested: boolean;
  refund: { amountPence: number; confirmed: boolean } | null;
  renewal: { possible: boolean; renewalConsultationId: string | null };
  consultationRequired: { reason: string; at: string } | null;
};

export type {
  RenewalOverlap,
  ReviewFlags,
  ReviewList,
  ReviewListItem,
} from '../../../src/http/contracts/consultationReview.js';

export type Incident = {
  state: 'pending_api_unavailable' | 'manual_handling';
  integration: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string;
  processManager: string;
  triggerEventId: string;
};

export type Message = { from: 'clinician' | 'patient'; text: string; at: string; by: string };
export type Decision = { outcome: 'approved' | 'denied'; by: string; role: string; note: string; at: string };
export type ProductSnapshot = {
  productId: string;
  name: string;
  kind: ProductKind;
  coldChain: boolean;
  pricePence: number;
};

export type ReviewCase = {
  consultationId: string;
  status: ConsultationStatus;
  statusSince: string;
  pending: string | null;
  incidents: Incident[];
  queue: 'prescriber' | 'pharmacist' | null;
  queuedAt: string | null;
  product: ProductSnapshot | null;
  plan: Plan | null;
  patient: { name: string; dateOfBirth: AnswerValue | null; postcode: string } | null;
  renewalOf: { previousConsultationId: string; firstApprovedAt: string; previousPlanEndsAt: string } | null;
  flags: ReviewFlags;
  answers: { questionId: string; question: string; answer: AnswerValue }[];
  identity: {
    verifiedAt: string | null;
    electronic: { outcome: 'pass' | 'refer' | 'fail'; reference: string; at: string }[];
    document: { key: string; contentType: string; uploadedAt: string } | null;
    manualReview: { outcome: 'pass' | 'fail'; reason: string; at: string } | null;
  };
  messages: Message[];
  decision: Decision | null;
  prescription: { id: string; signedAt: string | null; signingUrl: string | null } | null;
  /** The reader's GMC/GPhC number from their last approval, to start the approval form with. */
  yourRegistrationNumber: string | null;
};

export type PharmacyListItem = {
  consultationId: string;
  status: ConsultationStatus;
  statusSince: string;
  patientName: string | null;
  product: { id: string; name: string; kind: ProductKind };
  plan: Plan | null;
  supplyNumber: number | null;
  trackingNumber: string | null;
  planEndsAt: string | null;
  lastActivityAt: string | null;
  flags: {
    renewalOverlap: RenewalOverlap | null;
    repeatSubmission: boolean;
    outOfStock: boolean;
    cancellationRequestedAt: string | null;
    draftInactiveSince: string | null;
    refundFailed: boolean;
  };
  pending: string | null;
};
export type PharmacyList = {
  view: string;
  page: number;
  pageSize: number;
  total: number;
  items: PharmacyListItem[];
};

export type PharmacyCase = {
  consultationId: string;
  status: ConsultationStatus;
  statusSince: string;
  pending: string | null;
  incidents: Incident[];
  patient: {
    firstName: string;
    lastName: string;
    email: string;
    phone: string | null;
    address: { line1: string; line2?: string; town: string; postcode: string };
    dateOfBirth: AnswerValue | null;
  } | null;
  product: ProductSnapshot | null;
  plan: Plan | null;
  price: PlanPrice | null;
  period: { startsAt: string; endsAt: string; suppliesTotal: number } | null;
  supply: {
    number: number;
    slipId: string | null;
    packed: boolean;
    blockedOutOfStockAt: string | null;
    shipmentId: string | null;
  } | null;
  suppliesDispatched: number;
  flags: {
    renewalOverlap: RenewalOverlap | null;
    repeatSubmission: { priorConsultationId: string } | null;
    draftInactiveSince: string | null;
    cancellationRequestedAt: string | null;
    outOfStockSince: string | null;
  };
  charges: { number: number; amountPence: number }[];
  instalmentCharges: { chargeNumber: number; ok: boolean; failureCode: string | null; at: string }[];
  paymentFailures: { failureCode: string; at: string }[];
  refund: {
    reason: string;
    amountPence: number;
    requestedAt: string;
    confirmed: { refundId: string; confirmedAt: string } | null;
  } | null;
  refundsFailed: { refundId: string; reason: string | null }[];
  identity: ReviewCase['identity'];
  decision: Decision | null;
  messages: Message[];
  prescription: { id: string; signedAt: string | null } | null;
  gpLetter: { letterId: string; sentAt: string } | null;
  pmr: { pmrPatientId: string; method: string; at: string } | null;
  shipments: {
    supplyNumber: number;
    shipmentId: string;
    trackingNumber: string;
    service: string;
    at: string;
  }[];
  tracking: { supplyNumber: number; status: string; details: string | null; source: string; at: string }[];
  deliveryActions: { supplyNumber: number; action: string; note: string; by: string; at: string }[];
  cancellation: { reason: string; by: string; at: string } | null;
  planDates: { endsAt: string | null; graceEndsAt: string | null; completedAt: string | null };
  renewalOf: string | null;
  lastActivityAt: string | null;
};

export type ConsultationEventRecord = {
  id: string;
  stream: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string; occurredAt: string };
};

export type StockItem = {
  productId: string;
  name: string;
  onHand: number;
  threshold: number;
  low: boolean;
  outOfStock: boolean;
  receivedTotal: number;
  reservedTotal: number;
  updatedAt: string | null;
};
