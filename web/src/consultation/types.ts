import type { ProductSnapshot } from '../../../src/http/contracts/consultationPharmacy.js';

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
  ReviewCase,
  ReviewFlags,
  ReviewList,
  ReviewListItem,
} from '../../../src/http/contracts/consultationReview.js';

export type ProductKind = ProductSnapshot['kind'];
