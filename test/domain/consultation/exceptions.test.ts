import { describe, expect, it } from 'vitest';
import type { ConsultationEvent } from '../../../src/domain/consultation/consultationEvents.js';
import {
  decided,
  journey,
  month,
  ONE_OFF,
  spec,
  stateAfter,
  stateAfterDeciding,
  T,
  weightLoss,
  weightLossAnswers,
} from './fixtures.js';

/** One describe per row of the seed's Error / Exception table, each reaching its terminal state. */

const j = journey();
const questionnaire = weightLoss.questionnaire;
const refundConfirmed = (amountPence: number) =>
  ({
    type: 'RecordRefundConfirmed',
    refundId: 're_1',
    stripeEventId: 'evt_re_1',
    amountPence,
    now: '2026-03-06T09:00:00.000Z',
  }) as const;
const day = (n: number) => new Date(Date.parse(T.start) + n * 86_400_000).toISOString();

describe('Auto-denial from form logic → Auto-Denied (no refund: before payment)', () => {
  const denied = journey({ answers: { ...weightLossAnswers, conditions: ['pancreatitis'] } });
  const submit = { type: 'SubmitQuestionnaire', questionnaire, now: T.submitted } as const;

  it('given answers that trip a rule, when submitted, then it is auto-denied with the rule kept for the clinical record', () => {
    spec
      .given(denied.draft)
      .when(submit)
      .then([
        {
          type: 'ConsultationAutoDenied',
          data: {
            ruleIds: ['glp1-contraindication'],
            reasonsForClinicalRecord: ['History of a condition contraindicating GLP-1 treatment.'],
            answers: denied.answers,
            questionnaireVersion: questionnaire.version,
            deniedAt: T.submitted,
          },
        },
      ]);
    const state = stateAfterDeciding(denied.draft, submit);
    expect(state.status).toBe('auto_denied');
    expect([state.charges, state.refund]).toEqual([[], null]);
  });

  it('given an auto-denied consultation, when the patient tries to choose a plan and pay, then it is refused', () =>
    spec
      .given([...denied.draft, ...decided(denied.draft, submit)])
      .when({ type: 'ChoosePlan', plan: ONE_OFF, product: weightLoss, now: T.submitted })
      .thenThrows('INVALID_STATUS'));
});

describe('Payment fails at checkout → Awaiting Payment (never captured)', () => {
  const declined: ConsultationEvent = {
    type: 'PaymentFailed',
    data: { checkoutSessionId: 'cs_1', failureCode: 'card_declined', failedAt: T.paid },
  };

  it('given a checkout, when the card is declined, then the failure is recorded and payment is still awaited', () => {
    spec
      .given(j.checkout)
      .when({
        type: 'RecordPaymentFailed',
        checkoutSessionId: 'cs_1',
        failureCode: 'card_declined',
        now: T.paid,
      })
      .then([declined]);
    expect(stateAfter([...j.checkout, declined]).status).toBe('awaiting_payment');
  });

  it('given a declined card, when the patient retries and Stripe captures, then the consultation moves on', () =>
    spec
      .given([...j.checkout, declined])
      .when({
        type: 'RecordPaymentCaptured',
        checkoutSessionId: 'cs_1',
        paymentIntentId: 'pi_1',
        amountPence: 19_900,
        now: T.paid,
      })
      .then([j.paid.at(-1)!]));

  it('given a captured payment, when a stale decline arrives, then it is ignored', () =>
    spec
      .given(j.paid)
      .when({
        type: 'RecordPaymentFailed',
        checkoutSessionId: 'cs_1',
        failureCode: 'card_declined',
        now: T.paid,
      })
      .then([]));
});

describe('ID check fails → upload → manual review → Rejected → Refunded', () => {
  const failed: ConsultationEvent[] = [
    ...j.paid,
    { type: 'IdentityCheckFailed', data: { reference: 'lexis-1', failedAt: T.verified } },
    { type: 'IdDocumentRequested', data: { requestedAt: T.verified } },
  ];
  const document = { key: 'id/01JQ/passport.jpg', contentType: 'image/jpeg', sha256: 'ab12' };
  const uploaded: ConsultationEvent[] = [
    ...failed,
    { type: 'IdDocumentUploaded', data: { document, uploadedAt: '2026-03-02T18:00:00.000Z' } },
  ];
  const review = (outcome: 'pass' | 'fail') =>
    ({
      type: 'RecordManualIdReview',
      reviewerId: 'ops-kim',
      outcome,
      reason: 'Name does not match',
      now: '2026-03-03T09:00:00.000Z',
    }) as const;

  it('given a paid case, when LexisNexis fails the patient, then an ID document is requested', () => {
    spec
      .given(j.paid)
      .when({ type: 'RecordIdVerification', outcome: 'fail', reference: 'lexis-1', now: T.verified })
      .then(failed.slice(j.paid.length));
    expect(stateAfter(failed).status).toBe('id_document_requested');
  });

  it('given a failed check, when LexisNexis reports it again, then nothing happens', () =>
    spec
      .given(failed)
      .when({ type: 'RecordIdVerification', outcome: 'fail', reference: 'lexis-1', now: T.verified })
      .then([]));

  it('given a document requested, when the patient uploads it, then it goes to manual review', () => {
    spec
      .given(failed)
      .when({ type: 'UploadIdDocument', document, now: '2026-03-02T18:00:00.000Z' })
      .then(uploaded.slice(failed.length));
    expect(stateAfter(uploaded).status).toBe('id_manual_review');
  });

  it('given manual review, when the document checks out, then the case goes on to clinical review', () =>
    spec
      .given(uploaded)
      .when(review('pass'))
      .then([
        {
          type: 'IdentityVerified',
          data: { method: 'manual', reference: 'ops-kim', verifiedAt: '2026-03-03T09:00:00.000Z' },
        },
      ]));

  it('given manual review, when it still fails, then the case is rejected and the full payment refunded via Stripe', () => {
    spec
      .given(uploaded)
      .when(review('fail'))
      .then([
        {
          type: 'IdentityRejected',
          data: {
            reviewerId: 'ops-kim',
            reason: 'Name does not match',
            rejectedAt: '2026-03-03T09:00:00.000Z',
          },
        },
        {
          type: 'RefundRequested',
          data: {
            reason: 'id_check_failed',
            amountPence: 19_900,
            paymentIntentIds: ['pi_1'],
            requestedAt: '2026-03-03T09:00:00.000Z',
          },
        },
      ]);
    const rejected = stateAfterDeciding(uploaded, review('fail'));
    expect(rejected.status).toBe('rejected');
    expect(
      stateAfterDeciding([...uploaded, ...decided(uploaded, review('fail'))], refundConfirmed(19_900)).status,
    ).toBe('refunded');
  });
});

describe('Clinician requests more info → Awaiting Response (no refund: still active)', () => {
  const ask = {
    type: 'RequestMoreInformation',
    clinicianId: 'dr-patel',
    role: 'prescriber',
    question: 'Please send a photo of your scales showing your current weight.',
    now: '2026-03-03T09:30:00.000Z',
  } as const;
  const asked = [...j.inReview, ...decided(j.inReview, ask)];

  it('given a case in review, when the prescriber asks for more, then the patient is messaged and the case pauses', () => {
    spec
      .given(j.inReview)
      .when(ask)
      .then([
        {
          type: 'MoreInformationRequested',
          data: { clinicianId: 'dr-patel', question: ask.question, requestedAt: ask.now },
        },
      ]);
    const state = stateAfter(asked);
    expect(state.status).toBe('awaiting_response');
    expect(state.refund).toBeNull();
  });

  it('given a case awaiting response, when the prescriber tries to approve, then it waits for the patient', () =>
    spec
      .given(asked)
      .when({
        type: 'ApproveTreatment',
        clinicianId: 'dr-patel',
        role: 'prescriber',
        notes: '',
        now: T.approved,
      })
      .thenThrows('INVALID_STATUS'));

  it('given a case awaiting response, when the patient replies, then it resumes in clinical review', () => {
    const reply = {
      type: 'RecordPatientReply',
      message: 'Photo attached.',
      now: '2026-03-04T08:00:00.000Z',
    } as const;
    spec
      .given(asked)
      .when(reply)
      .then([{ type: 'PatientReplied', data: { message: 'Photo attached.', repliedAt: reply.now } }]);
    expect(stateAfterDeciding(asked, reply).status).toBe('in_clinical_review');
  });
});

describe('Clinician denies treatment → Rejected → Refunded (patient told after the refund is confirmed)', () => {
  const deny = {
    type: 'DenyTreatment',
    clinicianId: 'dr-patel',
    role: 'prescriber',
    reason: 'Reported weight inconsistent with photo ID.',
    now: '2026-03-03T09:30:00.000Z',
  } as const;
  const denied = [...j.inReview, ...decided(j.inReview, deny)];

  it('given a case in review, when the prescriber denies, then the reason is logged, a refund requested and the patient not yet told', () => {
    spec
      .given(j.inReview)
      .when(deny)
      .then([
        {
          type: 'TreatmentDenied',
          data: { clinicianId: 'dr-patel', role: 'prescriber', reason: deny.reason, deniedAt: deny.now },
        },
        {
          type: 'RefundRequested',
          data: {
            reason: 'clinical_denial',
            amountPence: 19_900,
            paymentIntentIds: ['pi_1'],
            requestedAt: deny.now,
          },
        },
      ]);
    expect(stateAfter(denied).status).toBe('rejected');
  });

  it('given a denial with its refund pending, when Stripe confirms the refund, then it is refunded and only now the patient is told', () => {
    spec
      .given(denied)
      .when(refundConfirmed(19_900))
      .then([
        {
          type: 'RefundConfirmed',
          data: {
            refundId: 're_1',
            stripeEventId: 'evt_re_1',
            amountPence: 19_900,
            confirmedAt: '2026-03-06T09:00:00.000Z',
          },
        },
        {
          type: 'PatientNotificationRequested',
          data: {
            template: 'refund_confirmed',
            reason: 'clinical_denial',
            requestedAt: '2026-03-06T09:00:00.000Z',
          },
        },
      ]);
    expect(stateAfterDeciding(denied, refundConfirmed(19_900)).status).toBe('refunded');
  });

  it('given a refunded denial, when Stripe resends the webhook, then nothing happens; a second refund is refused', () => {
    const refunded = [...denied, ...decided(denied, refundConfirmed(19_900))];
    spec.given(refunded).when(refundConfirmed(19_900)).then([]);
    spec
      .given(refunded)
      .when({ ...refundConfirmed(19_900), refundId: 're_2' })
      .thenThrows('REFUND_ALREADY_CONFIRMED');
  });

  it('given a denial, when the prescriber denies again, then no second refund is requested', () =>
    spec.given(denied).when(deny).thenThrows('INVALID_STATUS'));
});

describe('Repeat submission detected → Flagged for Review (informational)', () => {
  const prior = {
    consultationId: '01JP0000000000000000000009',
    answers: { ...weightLossAnswers, conditions: ['pancreatitis'] },
    submittedAt: '2026-02-20T10:00:00.000Z',
  };
  const queue = {
    type: 'QueueForReview',
    questionnaire,
    priorSubmission: prior,
    activePlan: null,
    now: T.verified,
  } as const;

  it('given a patient who submitted before, when the case is queued, then it is flagged with what changed', () => {
    spec
      .given(j.verified)
      .when(queue)
      .then([
        j.inReview.at(-1)!,
        {
          type: 'RepeatSubmissionFlagged',
          data: {
            priorConsultationId: prior.consultationId,
            priorSubmittedAt: prior.submittedAt,
            diff: [
              {
                questionId: 'conditions',
                questionText: 'Have you ever had any of the following?',
                before: ['pancreatitis'],
                after: ['none'],
              },
            ],
            flaggedAt: T.verified,
          },
        },
      ]);
  });

  it('the flag is not a status: the case stays in review and the prescriber still decides', () => {
    const flagged = [...j.verified, ...decided(j.verified, queue)];
    const state = stateAfter(flagged);
    expect(state.status).toBe('in_clinical_review');
    expect(state.flags.repeatSubmission?.priorConsultationId).toBe(prior.consultationId);
    spec
      .given(flagged)
      .when({
        type: 'ApproveTreatment',
        clinicianId: 'dr-patel',
        role: 'prescriber',
        notes: 'Checked with GP',
        now: T.approved,
      })
      .then([
        {
          type: 'TreatmentApproved',
          data: {
            prescriberId: 'dr-patel',
            notes: 'Checked with GP',
            approvedAt: T.approved,
            firstApprovedAt: T.approved,
          },
        },
      ]);
  });
});

describe('Consultation abandoned → reminder, flagged at 7 days, Abandoned (Draft) at 30 days (before payment)', () => {
  const draft = j.draft.slice(0, 2);
  const lastSaved = T.start;

  it('given a draft idle for a day, when the reminder timer fires, then a reminder is sent', () =>
    spec
      .given(draft)
      .when({ type: 'SendDraftReminder', now: day(1) })
      .then([{ type: 'DraftReminderSent', data: { inactiveSince: lastSaved, sentAt: day(1) } }]));

  it('given a draft saved within the day, when the reminder timer fires, then nothing is sent', () =>
    spec
      .given(draft)
      .when({ type: 'SendDraftReminder', now: day(0.5) })
      .then([]));

  it('given a reminded draft, when the reminder timer fires again, then no second reminder', () =>
    spec
      .given([...draft, { type: 'DraftReminderSent', data: { inactiveSince: lastSaved, sentAt: day(1) } }])
      .when({ type: 'SendDraftReminder', now: day(2) })
      .then([]));

  it('given a draft idle for 7 days, when checked, then it is flagged and still a draft', () => {
    const flagged: ConsultationEvent = {
      type: 'DraftFlaggedInactive',
      data: { inactiveSince: lastSaved, flaggedAt: day(7) },
    };
    spec
      .given(draft)
      .when({ type: 'FlagInactiveDraft', now: day(7) })
      .then([flagged]);
    spec
      .given(draft)
      .when({ type: 'FlagInactiveDraft', now: day(6.9) })
      .then([]);
    expect(stateAfter([...draft, flagged])).toMatchObject({
      status: 'draft',
      flags: { draftInactiveSince: lastSaved },
    });
  });

  it('given a draft idle for 29 days, when the team abandons it, then it is too early', () =>
    spec
      .given(draft)
      .when({ type: 'AbandonDraft', now: day(29) })
      .thenThrows('TOO_EARLY'));

  it('given a draft idle for 30 days, when abandoned, then it is Abandoned with nothing to refund', () => {
    spec
      .given(draft)
      .when({ type: 'AbandonDraft', now: day(30) })
      .then([{ type: 'ConsultationAbandoned', data: { inactiveSince: lastSaved, abandonedAt: day(30) } }]);
    const state = stateAfterDeciding(draft, { type: 'AbandonDraft', now: day(30) });
    expect([state.status, state.refund]).toEqual(['abandoned', null]);
  });

  it('given a draft the patient came back to on day 20, when abandoned on day 30, then it is too early', () =>
    spec
      .given([
        ...draft,
        {
          type: 'AnswersSaved',
          data: { stepId: 'confirm', answers: { answersTruthful: true }, savedAt: day(20) },
        },
      ])
      .when({ type: 'AbandonDraft', now: day(30) })
      .thenThrows('TOO_EARLY'));
});

describe('Patient requests cancellation → Cancelled → Refunded (manual)', () => {
  const cancel = {
    type: 'CancelConsultation',
    staffId: 'ops-kim',
    reason: 'Patient changed their mind',
    now: '2026-03-03T12:00:00.000Z',
  } as const;

  it('given a case in review, when the patient asks to cancel, then the pharmacy team gets the message and nothing else changes', () => {
    const request = {
      type: 'RequestCancellation',
      message: 'Please cancel my order.',
      now: '2026-03-02T12:00:00.000Z',
    } as const;
    spec
      .given(j.inReview)
      .when(request)
      .then([
        {
          type: 'CancellationRequested',
          data: { message: 'Please cancel my order.', requestedAt: request.now },
        },
      ]);
    expect(stateAfterDeciding(j.inReview, request)).toMatchObject({
      status: 'in_clinical_review',
      flags: { cancellationRequestedAt: request.now },
    });
  });

  it('given a signed order not yet dispatched, when the team cancels, then it is cancelled and everything refunded', () => {
    spec
      .given(j.dispatchPending)
      .when(cancel)
      .then([
        {
          type: 'ConsultationCancelled',
          data: {
            staffId: 'ops-kim',
            reason: cancel.reason,
            fromStatus: 'dispatch_pending',
            cancelledAt: cancel.now,
          },
        },
        {
          type: 'RefundRequested',
          data: {
            reason: 'patient_cancellation',
            amountPence: 19_900,
            paymentIntentIds: ['pi_1'],
            requestedAt: cancel.now,
          },
        },
      ]);
    const cancelled = [...j.dispatchPending, ...decided(j.dispatchPending, cancel)];
    expect(stateAfter(cancelled).status).toBe('cancelled');
    expect(stateAfterDeciding(cancelled, refundConfirmed(19_900)).status).toBe('refunded');
  });

  it('given an order already dispatched, when the team cancels, then it is refused', () =>
    spec.given(j.dispatched).when(cancel).thenThrows('ALREADY_DISPATCHED'));
});

describe('Consultation timeout (30 days) → Abandoned → Refunded (manual)', () => {
  const asked: ConsultationEvent[] = [
    ...j.inReview,
    {
      type: 'MoreInformationRequested',
      data: { clinicianId: 'dr-patel', question: 'Your weight?', requestedAt: day(1) },
    },
  ];
  const timeout = (now: string) => ({ type: 'RejectTimedOut', staffId: 'ops-kim', now }) as const;

  it('given a patient silent for 29 days, when the team closes the case, then it is too early', () =>
    spec
      .given(asked)
      .when(timeout(day(30)))
      .thenThrows('TOO_EARLY'));

  it('given a patient silent for 30 days, when the team closes the case, then it is abandoned and refunded in full', () => {
    spec
      .given(asked)
      .when(timeout(day(31)))
      .then([
        {
          type: 'ConsultationTimedOut',
          data: { staffId: 'ops-kim', inactiveSince: day(1), timedOutAt: day(31) },
        },
        {
          type: 'RefundRequested',
          data: {
            reason: 'consultation_timeout',
            amountPence: 19_900,
            paymentIntentIds: ['pi_1'],
            requestedAt: day(31),
          },
        },
      ]);
    const closed = [...asked, ...decided(asked, timeout(day(31)))];
    expect(stateAfter(closed).status).toBe('abandoned');
    expect(stateAfterDeciding(closed, refundConfirmed(19_900)).status).toBe('refunded');
  });
});

describe('Delivery failed / returned → Delivery Failed (team re-dispatches, contacts or refunds)', () => {
  const returned = { kind: 'royal_mail', webhookEventId: 'rm-evt-11' } as const;
  const failed: ConsultationEvent[] = [
    ...j.dispatched,
    {
      type: 'DeliveryFailed',
      data: {
        supplyNumber: 1,
        outcome: 'returned',
        source: returned,
        details: 'Addressee gone away',
        statusAt: '2026-03-06T09:00:00.000Z',
      },
    },
  ];
  const resolve = (action: 'redispatch' | 'contact_patient' | 'refund') =>
    ({
      type: 'ResolveDeliveryFailure',
      action,
      staffId: 'ops-kim',
      note: 'Rang the patient',
      now: '2026-03-06T10:00:00.000Z',
    }) as const;

  it('given a parcel in transit, when Royal Mail reports it returned, then the delivery has failed', () => {
    spec
      .given(j.dispatched)
      .when({
        type: 'RecordTracking',
        status: 'returned',
        source: returned,
        details: 'Addressee gone away',
        statusAt: '2026-03-06T09:00:00.000Z',
      })
      .then([failed.at(-1)!]);
    expect(stateAfter(failed).status).toBe('delivery_failed');
  });

  it('given a failed delivery, when the team contacts the patient, then it is logged and stays failed', () => {
    spec
      .given(failed)
      .when(resolve('contact_patient'))
      .then([
        {
          type: 'PatientContactedAboutDelivery',
          data: {
            supplyNumber: 1,
            staffId: 'ops-kim',
            note: 'Rang the patient',
            contactedAt: '2026-03-06T10:00:00.000Z',
          },
        },
      ]);
    expect(stateAfterDeciding(failed, resolve('contact_patient')).status).toBe('delivery_failed');
  });

  it('given a failed delivery, when the team re-dispatches, then it is packed again (stock rechecked) before shipping', () => {
    const again = [...failed, ...decided(failed, resolve('redispatch'))];
    expect(stateAfter(again)).toMatchObject({
      status: 'dispatch_pending',
      supply: { packed: false, slipId: 'slip-1' },
    });
    spec
      .given(again)
      .when({
        type: 'RecordShipment',
        shipmentId: 'rm-ship-2',
        trackingNumber: 'RM2',
        service: 'Tracked 24',
        now: '2026-03-06T11:00:00.000Z',
      })
      .thenThrows('NOT_PACKED');
  });

  it('given month 2 of 3 failed, when the team refunds, then only that month is refunded', () => {
    const month2 = month(2, '2026-04-03T10:05:00.000Z');
    const failedMonth2: ConsultationEvent[] = [
      ...j.delivered,
      ...month2.dispatched,
      {
        type: 'DeliveryFailed',
        data: {
          supplyNumber: 2,
          outcome: 'failed',
          source: returned,
          details: 'Damaged',
          statusAt: '2026-04-05T09:00:00.000Z',
        },
      },
    ];
    spec
      .given(failedMonth2)
      .when(resolve('refund'))
      .then([
        {
          type: 'RefundRequested',
          data: {
            reason: 'delivery_failed',
            amountPence: 19_900,
            paymentIntentIds: ['pi_2'],
            requestedAt: '2026-03-06T10:00:00.000Z',
          },
        },
      ]);
    const refunding = [...failedMonth2, ...decided(failedMonth2, resolve('refund'))];
    spec.given(refunding).when(resolve('redispatch')).thenThrows('REFUND_ALREADY_REQUESTED');
    expect(stateAfterDeciding(refunding, refundConfirmed(19_900))).toMatchObject({
      status: 'refunded',
      refund: { reason: 'delivery_failed', closes: 'delivery_failed' },
    });
  });
});

describe('API unavailable (any) → Pending (API Down): a platform marker, not a status (no refund)', () => {
  const waiting = [
    ...j.paid,
    {
      type: 'IntegrationCallFailed',
      data: {
        integration: 'lexisnexis',
        processManager: 'consultation-identity',
        triggerEventId: 'evt-paid',
        cycle: '1',
        attempt: 1,
        error: 'connect ECONNREFUSED',
        nextAttemptAt: '2026-03-02T09:30:00.000Z',
      },
    },
  ] as unknown as ConsultationEvent[];

  it('given a vendor call waiting on its retry schedule, then the consultation keeps its status and no refund', () => {
    const state = stateAfter(waiting);
    expect(state).toEqual(stateAfter(j.paid));
    expect([state.status, state.refund]).toEqual(['awaiting_id_verification', null]);
  });

  it('given a vendor call that failed once, when the retry succeeds, then the flow carries on', () =>
    spec
      .given(waiting)
      .when({ type: 'RecordIdVerification', outcome: 'pass', reference: 'lexis-1', now: T.verified })
      .then([j.verified.at(-1)!]));
});

describe('Instalment payment fails (month 2+) → Instalment Paused (may cancel remaining)', () => {
  const due2 = '2026-04-03T10:05:00.000Z';
  const charge = (ok: boolean, now = due2) =>
    ({
      type: 'RecordInstalmentCharge',
      chargeNumber: 2,
      outcome: ok
        ? ({ ok: true, paymentIntentId: 'pi_2', amountPence: 19_900 } as const)
        : ({ ok: false, failureCode: 'insufficient_funds' } as const),
      now,
    }) as const;
  const paused: ConsultationEvent[] = [
    ...j.delivered,
    {
      type: 'InstalmentChargeFailed',
      data: { chargeNumber: 2, failureCode: 'insufficient_funds', failedAt: due2 },
    },
    { type: 'InstalmentPaused', data: { chargeNumber: 2, pausedAt: due2 } },
  ];

  it('given month 1 delivered, when charge 2 fails, then the plan is paused (pharmacy notified, patient contacted)', () => {
    spec.given(j.delivered).when(charge(false)).then(paused.slice(j.delivered.length));
    expect(stateAfter(paused).status).toBe('instalment_paused');
  });

  it('given a paused plan, when the pharmacy tries to pack, then dispatch stays paused', () =>
    spec
      .given(paused)
      .when({
        type: 'PackSupply',
        staffId: 'tech-ali',
        stockOnHand: 9,
        acknowledgeRenewalOverlap: false,
        now: due2,
      })
      .thenThrows('INVALID_STATUS'));

  it('given a paused plan, when a retry fails again, then only the failure is recorded', () =>
    spec
      .given(paused)
      .when(charge(false, '2026-04-06T10:05:00.000Z'))
      .then([
        {
          type: 'InstalmentChargeFailed',
          data: { chargeNumber: 2, failureCode: 'insufficient_funds', failedAt: '2026-04-06T10:05:00.000Z' },
        },
      ]));

  it('given a paused plan, when a retry succeeds, then it resumes and month 2 goes to the pharmacy', () => {
    const at = '2026-04-06T10:05:00.000Z';
    spec
      .given(paused)
      .when(charge(true, at))
      .then([
        {
          type: 'InstalmentChargeSucceeded',
          data: { chargeNumber: 2, paymentIntentId: 'pi_2', amountPence: 19_900, chargedAt: at },
        },
        { type: 'InstalmentResumed', data: { chargeNumber: 2, resumedAt: at } },
        {
          type: 'PharmacyQueueEntered',
          data: { supplyNumber: 2, renewalOverlap: false, coldChain: true, enteredAt: at },
        },
      ]);
    expect(stateAfterDeciding(paused, charge(true, at)).status).toBe('dispatch_pending');
  });

  it('given a paused plan, when the team cancels the remaining months, then the plan ends with the paid month', () => {
    const cancel = {
      type: 'CancelRemainingInstalments',
      staffId: 'ops-kim',
      reason: 'Card not updated',
      now: '2026-04-20T09:00:00.000Z',
    } as const;
    spec
      .given(paused)
      .when(cancel)
      .then([
        {
          type: 'RemainingInstalmentsCancelled',
          data: {
            fromCharge: 2,
            staffId: 'ops-kim',
            reason: 'Card not updated',
            planEndsAt: due2,
            cancelledAt: cancel.now,
          },
        },
      ]);
    const state = stateAfterDeciding(paused, cancel);
    expect([state.status, state.refund, state.period?.endsAt]).toEqual(['plan_completed', null, due2]);
  });
});

describe('12-month hard limit reached → Consultation Required (not an error, no refund)', () => {
  const firstApprovedAt = '2025-03-10T10:00:00.000Z';
  const renewal = journey({
    plan: ONE_OFF,
    renewalOf: {
      previousConsultationId: '01JA0000000000000000000003',
      productId: weightLoss.id,
      firstApprovedAt,
      identityVerifiedAt: '2025-03-09T10:00:00.000Z',
      answers: weightLossAnswers,
      previousPlanEndsAt: '2026-03-01T10:00:00.000Z',
    },
  });
  const completed: ConsultationEvent[] = [
    ...renewal.delivered,
    {
      type: 'PlanCompleted',
      data: {
        planEndsAt: renewal.planEndsAt,
        graceEndsAt: '2026-05-03T10:05:00.000Z',
        completedAt: renewal.planEndsAt,
      },
    },
  ];
  const limitHit = '2026-04-03T10:05:00.000Z';

  it('given a plan completing past 12 months from first approval, when it completes, then a fresh consultation is required', () => {
    spec
      .given(renewal.delivered)
      .when({ type: 'CompletePlan', now: limitHit })
      .then([
        {
          type: 'PlanCompleted',
          data: {
            planEndsAt: renewal.planEndsAt,
            graceEndsAt: '2026-05-03T10:05:00.000Z',
            completedAt: limitHit,
          },
        },
        { type: 'AnswersCleared', data: { reason: 'twelve_month_limit', clearedAt: limitHit } },
        { type: 'ConsultationRequired', data: { reason: 'twelve_month_limit', requiredAt: limitHit } },
      ]);
    const state = stateAfterDeciding(renewal.delivered, { type: 'CompletePlan', now: limitHit });
    expect([state.status, state.answers, state.refund]).toEqual(['consultation_required', {}, null]);
  });

  it('given a completed plan, when the patient asks to renew after the 12-month anniversary, then they cannot renew', () =>
    spec
      .given(completed)
      .when({
        type: 'RequestRenewal',
        renewalConsultationId: '01JR0000000000000000000004',
        now: '2026-04-10T00:00:00.000Z',
      })
      .then([
        {
          type: 'AnswersCleared',
          data: { reason: 'twelve_month_limit', clearedAt: '2026-04-10T00:00:00.000Z' },
        },
        {
          type: 'ConsultationRequired',
          data: { reason: 'twelve_month_limit', requiredAt: '2026-04-10T00:00:00.000Z' },
        },
      ]));

  it('given a renewal basis past the limit, when a renewal consultation is started, then it is refused', () =>
    spec
      .given([])
      .when({
        type: 'StartConsultation',
        consultationId: '01JR0000000000000000000004',
        patientRef: 'patient-42',
        product: weightLoss,
        renewalOf: {
          ...(renewal.draft[0] as Extract<ConsultationEvent, { type: 'ConsultationStarted' }>).data
            .renewalOf!,
        },
        now: '2026-03-10T10:00:00.000Z',
      })
      .thenThrows('TWELVE_MONTH_LIMIT_REACHED'));
});
