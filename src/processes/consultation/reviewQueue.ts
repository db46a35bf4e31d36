import type { ActivePlan, PriorSubmission } from '../../domain/consultation/consultation.js';
import type { ConsultationState } from '../../domain/consultation/consultationState.js';
import { type Answers, diffAnswers } from '../../domain/consultation/questionnaire.js';
import { consultationsProjection } from '../../projections/consultations/consultationsProjection.js';
import type { ProcessManager } from '../runtime.js';
import { type ConsultationProcessDeps, commandFrom, consultationIdOf, isConsultationEvent } from './deps.js';
import { teamEmails } from './emails.js';

/** Statuses in which a plan is still supplying the patient. */
const SUPPLYING = [
  'prescribed',
  'dispatch_pending',
  'dispatched',
  'delivered',
  'delivery_failed',
  'instalment_paused',
];

type DigestTimer = { queue: 'prescriber' | 'pharmacist' };

export const reviewUrl = (publicUrl: string, consultationId: string) =>
  `${publicUrl}/review/${consultationId}`;

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
  const { rows } = await deps.pool.query<{ consultation_id: string; submitted_at: Date; answers: Answers }>(
    `SELECT consultation_id, submitted_at, detail->'lastSubmission'->'answers' AS answers FROM consultations
      WHERE patient_ref = $1 AND product_id = $2 AND consultation_id <> $3 AND submitted_at IS NOT NULL
      ORDER BY submitted_at DESC LIMIT 1`,
    [state.patientRef, state.product!.productId, state.consultationId],
  );
  const row = rows[0];
  return row
    ? {
        consultationId: row.consultation_id,
        answers: row.answers,
        submittedAt: row.submitted_at.toISOString(),
      }
    : null;
};

/** Another consultation of this patient's still supplying the same treatment. */
const activePlanFor = async (deps: ConsultationProcessDeps, state: ConsultationState, now: Date) => {
  const { rows } = await deps.pool.query<{ consultation_id: string; plan_ends_at: Date }>(
    `SELECT consultation_id, plan_ends_at FROM consultations
      WHERE patient_ref = $1 AND product_id = $2 AND consultation_id <> $3 AND plan_ends_at > $4
        AND status = ANY ($5::text[])
      ORDER BY plan_ends_at DESC LIMIT 1`,
    [state.patientRef, state.product!.productId, state.consultationId, now, SUPPLYING],
  );
  const row = rows[0];
  return row
    ? ({ consultationId: row.consultation_id, endsAt: row.plan_ends_at.toISOString() } satisfies ActivePlan)
    : null;
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
export const reviewQueueProcess = (deps: ConsultationProcessDeps): ProcessManager => ({
  name: 'consultation-review-queue',
  filter: { kind: 'eventTypes', eventTypes: ['IdentityVerified', 'ReviewQueued', 'PatientReplied'] },
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
        activePlan: await activePlanFor(deps, state, now),
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
      const { rows } = await deps.pool.query<{
        consultation_id: string;
        product_name: string;
        repeat_flagged: boolean;
        overlap_flagged: boolean;
      }>(
        `SELECT consultation_id, product_name, repeat_flagged, overlap_flagged FROM consultations
          WHERE review_queue = $1 AND status = 'in_clinical_review' ORDER BY queued_at`,
        [queue],
      );
      if (rows.length === 0) return;
      await deps.mailer.send({
        to: queue === 'prescriber' ? deps.team.prescriberTeamEmail : deps.team.pharmacistTeamEmail,
        ...teamEmails.digest(
          queue,
          rows.map((r) => ({
            consultationId: r.consultation_id,
            product: r.product_name,
            flags: [
              ...(r.overlap_flagged ? ['RENEWAL OVERLAP'] : []),
              ...(r.repeat_flagged ? ['REPEAT SUBMISSION'] : []),
            ],
          })),
          `${deps.publicUrl}/review?queue=${queue}`,
        ),
        idempotencyKey: context.idempotencyKey('digest'),
      });
    },
  },
});
