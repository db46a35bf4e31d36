import type { PriorSubmission } from '../../domain/consultation/consultation.js';
import type { ConsultationState } from '../../domain/consultation/consultationState.js';
import { diffAnswers } from '../../domain/consultation/questionnaire.js';
import {
  casesAwaitingReview,
  latestOtherSubmission,
  otherActivePlan,
} from '../../projections/consultations/consultationQueries.js';
import { consultationsProjection } from '../../projections/consultations/consultationsProjection.js';
import { type Reactor, reactor } from '../reactor.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';
import { teamEmails } from './emails.js';

type DigestTimer = { queue: 'prescriber' | 'pharmacist' };

export const reviewUrl = (publicUrl: string, consultationId: string) =>
  `${publicUrl}/review/${consultationId}`;

/** The consultation's own patient and product, asked about every other consultation. */
const samePatientAndProduct = (state: ConsultationState) => ({
  patientRef: state.patientRef,
  productId: state.product!.productId,
  excludingConsultationId: state.consultationId!,
});

/**
 * The same patient's latest earlier answers for this product, found in the read model (caught up
 * to the triggering event first, so a submission made just before is never missed). A renewal
 * compares with the answers it renews, and is flagged only when the patient changed them.
 */
const priorSubmissionFor = async (
  deps: ConsultationProcessDeps,
  state: ConsultationState,
  questionnaire: Parameters<typeof diffAnswers>[0],
): Promise<PriorSubmission | null> => {
  const renewal = state.renewalOf;
  if (renewal) {
    const changed = diffAnswers(questionnaire, renewal.answers, state.submitted?.answers ?? {}).length > 0;
    return changed
      ? {
          consultationId: renewal.previousConsultationId,
          answers: renewal.answers,
          submittedAt: renewal.previousPlanEndsAt,
        }
      : null;
  }
  return latestOtherSubmission(deps.pool, samePatientAndProduct(state));
};

const flagsOf = (state: ConsultationState) => [
  ...(state.flags.renewalOverlap ? ['RENEWAL OVERLAP'] : []),
  ...(state.flags.repeatSubmission ? ['REPEAT SUBMISSION'] : []),
];

/**
 * Phase 5. A verified case enters the prescribers' (POM) or pharmacists' (P) queue, with a repeat
 * submission's answer diff and a renewal overlap flagged. Clinicians hear of it at once, or in a
 * digest when notification batching is on.
 */
export const reviewQueueProcess = (deps: ConsultationProcessDeps): Reactor =>
  reactor({
    name: 'consultation-review-queue',
    handles: ['IdentityVerified', 'ReviewQueued', 'PatientReplied'],
    async handle(event, context) {
      if (!isConsultationEvent(event)) return;
      const consultationId = consultationIdOf(event);
      const state = await deps.commands.load(consultationId);
      const product = deps.commands.productFor(state);

      if (event.type === 'IdentityVerified') {
        if (state.review || state.status !== 'in_clinical_review') return;
        // The patient's earlier consultations are found in the read model: read it no older than this.
        await context.readModelCaughtUp(consultationsProjection);
        const now = context.clock.now();
        await commandFrom(deps, event, context, 'system:review-queue', {
          type: 'QueueForReview',
          questionnaire: product.questionnaire,
          priorSubmission: await priorSubmissionFor(deps, state, product.questionnaire),
          activePlan: await otherActivePlan(deps.pool, { ...samePatientAndProduct(state), now }),
          now: now.toISOString(),
        });
        return;
      }

      const queue = state.review?.queue;
      if (!queue) return;
      const to = queue === 'prescriber' ? deps.team.prescriberTeamEmail : deps.team.pharmacistTeamEmail;
      const url = reviewUrl(deps.publicUrl, consultationId);
      if (event.type === 'PatientReplied') {
        await deps.mailer.send({
          to,
          ...teamEmails.patientReplied(consultationId, url),
          idempotencyKey: context.idempotencyKey('email'),
        });
        return;
      }
      if (deps.team.reviewNotifications === 'immediate') {
        await deps.mailer.send({
          to,
          ...teamEmails.caseQueued(queue, consultationId, product.name, flagsOf(state), url),
          idempotencyKey: context.idempotencyKey('email'),
        });
        return;
      }
      // Batching: one digest per queue per window, whichever case arrives first arms it.
      const windowMs = deps.team.digestMinutes * 60_000;
      const windowEnd = Math.ceil((context.clock.now().getTime() + 1) / windowMs) * windowMs;
      await context.schedule({
        name: 'digest',
        key: `${queue}:${windowEnd}`,
        dueAt: new Date(windowEnd),
        payload: { queue } satisfies DigestTimer,
      });
    },
    timers: {
      async digest(payload, context) {
        const { queue } = payload as DigestTimer;
        const cases = await casesAwaitingReview(deps.pool, queue);
        if (cases.length === 0) return;
        await deps.mailer.send({
          to: queue === 'prescriber' ? deps.team.prescriberTeamEmail : deps.team.pharmacistTeamEmail,
          ...teamEmails.digest(
            queue,
            cases.map((c) => ({
              consultationId: c.consultationId,
              product: c.productName,
              flags: [
                ...(c.renewalOverlap ? ['RENEWAL OVERLAP'] : []),
                ...(c.repeatSubmission ? ['REPEAT SUBMISSION'] : []),
              ],
            })),
            `${deps.publicUrl}/review?queue=${queue}`,
          ),
          idempotencyKey: context.idempotencyKey('digest'),
        });
      },
    },
  });
