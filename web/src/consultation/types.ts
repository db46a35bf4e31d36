import type { ConsultationStatus } from '../../../src/domain/consultation/consultationEvents.js';
import type { Plan } from '../../../src/domain/consultation/plan.js';
import type { AnswerValue } from '../../../src/domain/consultation/questionnaire.js';
import type {
  Decision,
  Identity,
  Incident,
  Message,
  ProductSnapshot,
} from '../../../src/http/contracts/consultationPharmacy.js';
import type { ReviewFlags } from '../../../src/http/contracts/consultationReview.js';

export type { ConsultationStatus } from '../../../src/domain/consultation/consultationEvents.js';
export type { Plan, PlanPrice } from '../../../src/domain/consultation/plan.js';
export type {
  Answers,
  AnswerValue,
  Question,
  QuestionnaireStep,
} from '../../../src/domain/consultation/questionnaire.js';

/** The shapes the consultation API answers with: the wire side of its contracts (src/http/contracts). */

export type {
  Catalogue,
  OfferedPlan,
  ProductDetail,
  ProductSummary,
} from '../../../src/http/contracts/consultationCatalogue.js';
export type {
  AnswersSaved,
  CheckoutOpened,
  ConsultationActionResult,
  ConsultationStarted,
  PatientConsultation,
  QuestionnaireSubmitted,
  RenewalStarted,
} from '../../../src/http/contracts/consultationPatient.js';
export type {
  ConsultationEventRecord,
  ConsultationHistory,
  Decision,
  Identity,
  Incident,
  Message,
  PharmacyCase,
  PharmacyList,
  PharmacyListItem,
  ProductSnapshot,
  StockChanged,
  StockItem,
  StockList,
} from '../../../src/http/contracts/consultationPharmacy.js';
export type {
  RenewalOverlap,
  ReviewFlags,
  ReviewList,
  ReviewListItem,
} from '../../../src/http/contracts/consultationReview.js';

export type ProductKind = ProductSnapshot['kind'];

/** One case as a clinician reviews it (`/api/review/cases/:id`: no response contract yet). */
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
  identity: Pick<Identity, 'verifiedAt' | 'electronic' | 'document'> & {
    manualReview: { outcome: 'pass' | 'fail'; reason: string; at: string } | null;
  };
  messages: Message[];
  decision: Decision | null;
  prescription: { id: string; signedAt: string | null; signingUrl: string | null } | null;
  /** The reader's GMC/GPhC number from their last approval, to start the approval form with. */
  yourRegistrationNumber: string | null;
};
