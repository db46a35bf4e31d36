import { z } from 'zod';
import { CONSULTATION_STATUSES } from '../../domain/consultation/consultationEvents.js';
import { instant, type Wire } from './common.js';
import { plan } from './consultationCatalogue.js';
import { consultationStatus } from './consultationPatient.js';
import {
  decision,
  identity,
  incident,
  message,
  prescriptionScope,
  productSnapshot,
} from './consultationPharmacy.js';

/** The UK review queues (`/api/review/cases`): prescribers review POM, pharmacists P. */

export const reviewQueue = z.enum(['prescriber', 'pharmacist']);

export const reviewListQuery = z.object({ queue: reviewQueue.optional() });

const answerValue = z.union([z.boolean(), z.number(), z.string(), z.array(z.string()).readonly()]);

export const reviewFlags = z.object({
  renewalOverlap: z
    .object({ activeConsultationId: z.string(), activePlanEndsAt: z.string(), banner: z.string() })
    .nullable(),
  repeatSubmission: z
    .object({
      priorConsultationId: z.string(),
      changes: z.array(
        z.object({
          questionId: z.string(),
          questionText: z.string(),
          before: answerValue.nullable(),
          after: answerValue.nullable(),
        }),
      ),
    })
    .nullable(),
});
export type ReviewFlags = Wire<typeof reviewFlags>;
export type RenewalOverlap = NonNullable<ReviewFlags['renewalOverlap']>;

export const reviewListItem = z.object({
  consultationId: z.string(),
  status: z.enum(CONSULTATION_STATUSES),
  statusSince: instant,
  queuedAt: instant.nullable(),
  product: z.string().nullable(),
  patientName: z.string().nullable(),
  renewalOf: z.string().nullable(),
  flags: reviewFlags,
  /** A vendor call waiting or flagged for this case (null: none open). */
  pending: z.string().nullable(),
});
export type ReviewListItem = Wire<typeof reviewListItem>;

export const reviewList = z.object({ queue: reviewQueue, items: z.array(reviewListItem) });
export type ReviewList = Wire<typeof reviewList>;

/** One case as a clinician reviews it: the answers with their questions, flags, messages, history. */
export const reviewCase = z.object({
  consultationId: z.string(),
  status: consultationStatus,
  statusSince: instant,
  pending: z.string().nullable(),
  incidents: z.array(incident),
  queue: reviewQueue.nullable(),
  queuedAt: instant.nullable(),
  product: productSnapshot.nullable(),
  plan: plan.nullable(),
  patient: z
    .object({ name: z.string(), dateOfBirth: answerValue.nullable(), postcode: z.string() })
    .nullable(),
  renewalOf: z
    .object({ previousConsultationId: z.string(), firstApprovedAt: instant, previousPlanEndsAt: instant })
    .nullable(),
  flags: reviewFlags,
  answers: z.array(z.object({ questionId: z.string(), question: z.string(), answer: answerValue })),
  identity,
  messages: z.array(message),
  decision: decision.nullable(),
  prescription: z
    .object({
      id: z.string(),
      scope: prescriptionScope,
      signedAt: instant.nullable(),
      signingUrl: z.string().nullable(),
    })
    .nullable(),
  /** The reader's GMC/GPhC number from their last approval, to start the approval form with. */
  yourRegistrationNumber: z.string().nullable(),
});
export type ReviewCase = Wire<typeof reviewCase>;
