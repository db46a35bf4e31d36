import { z } from 'zod';
import { CONSULTATION_STATUSES } from '../../domain/consultation/consultationEvents.js';
import { instant, type Wire } from './common.js';
import { answers, plan, planPrice, productKind, questionnaire } from './consultationCatalogue.js';

/**
 * The patient's side of a consultation (`/api/consultations…`): the page they see and what each of
 * their actions answers. Never the auto-deny rule, nor clinical notes.
 */

export const consultationStatus = z.enum(CONSULTATION_STATUSES);

/** A patient or staff action's answer: the consultation's status after the command. */
export const consultationActionResult = z.object({ consultationId: z.string(), status: z.string() });
export type ConsultationActionResult = Wire<typeof consultationActionResult>;

export const consultationStarted = z.object({
  consultationId: z.string(),
  token: z.string(),
  status: z.string(),
});
export type ConsultationStarted = Wire<typeof consultationStarted>;

export const answersSaved = consultationActionResult.extend({ answers });
export type AnswersSaved = Wire<typeof answersSaved>;

/** On an auto-denial the only thing said: no answer or rule is named. */
export const questionnaireSubmitted = consultationActionResult.extend({ message: z.string().optional() });
export type QuestionnaireSubmitted = Wire<typeof questionnaireSubmitted>;

export const checkoutOpened = z.object({
  consultationId: z.string(),
  checkoutSessionId: z.string(),
  url: z.string(),
  amountPence: z.number().int(),
  plan,
});
export type CheckoutOpened = Wire<typeof checkoutOpened>;

export const renewalStarted = z.object({
  consultationId: z.string(),
  token: z.string(),
  renewalOf: z.string(),
});
export type RenewalStarted = Wire<typeof renewalStarted>;

export const patientConsultation = z.object({
  consultationId: z.string(),
  status: consultationStatus,
  statusSince: instant,
  pending: z.string().nullable(),
  product: z.object({ id: z.string(), name: z.string(), kind: productKind }).nullable(),
  renewalOf: z.string().nullable(),
  questionnaire: questionnaire.nullable(),
  answers,
  outcome: z.object({ message: z.string() }).nullable(),
  plan: plan.nullable(),
  price: planPrice.nullable(),
  checkout: z.object({ url: z.string(), amountPence: z.number().int(), expiresAt: instant }).nullable(),
  lastPaymentFailure: z
    .object({ checkoutSessionId: z.string(), failureCode: z.string(), at: instant })
    .nullable(),
  idDocumentRequested: z.boolean(),
  messages: z.array(z.object({ from: z.enum(['clinician', 'patient']), text: z.string(), at: instant })),
  period: z.object({ startsAt: instant, endsAt: instant.nullable(), supplies: z.number().int() }).nullable(),
  graceEndsAt: instant.nullable(),
  shipments: z.array(
    z.object({
      supplyNumber: z.number().int(),
      trackingNumber: z.string(),
      service: z.string(),
      at: instant,
    }),
  ),
  tracking: z.array(z.object({ supplyNumber: z.number().int(), status: z.string(), at: instant })),
  cancellationRequested: z.boolean(),
  refund: z.object({ amountPence: z.number().int(), confirmed: z.boolean() }).nullable(),
  renewal: z.object({ possible: z.boolean(), renewalConsultationId: z.string().nullable() }),
  consultationRequired: z.object({ reason: z.string(), at: instant }).nullable(),
});
export type PatientConsultation = Wire<typeof patientConsultation>;
