import { createHash } from 'node:crypto';
import type { PatientDetails } from '../../domain/consultation/account.js';
import type { RenewalBasis } from '../../domain/consultation/consultationEvents.js';
import type { Plan } from '../../domain/consultation/plan.js';
import type { Answers } from '../../domain/consultation/questionnaire.js';
import { DomainError } from '../../domain/decider.js';
import { MAX_CARD_IMAGE_BYTES, sniffDocumentType } from '../../integrations/documents/sniff.js';
import { HOUR } from '../../platform/clock.js';
import { deterministicId, idFromKey, newId } from '../../platform/ids.js';
import type { Actor, ConsultationCore } from './core.js';
import { consultationToken, patientRefFor } from './tokens.js';

export type NewPatient = Omit<PatientDetails, 'consultationId' | 'patientRef' | 'gpConsent'>;

export type IdDocumentType = 'passport' | 'driving_licence';

/** How long a checkout page stays payable; a new one can be opened after. */
const CHECKOUT_HOURS = 23;

const samePlan = (a: Plan | null, b: Plan) =>
  a !== null &&
  a.kind === b.kind &&
  (a.kind === 'one_off' || (b.kind === 'instalment' && a.months === b.months));

/**
 * Where the patient's consultation page lives, with its key in the fragment: a browser never sends
 * the fragment to a server, so the key stays out of request logs and Referer headers.
 */
export const consultationUrl = (
  publicUrl: string,
  linkSecret: string,
  consultationId: string,
  issuedAt: Date,
  options: { paid?: boolean } = {},
) =>
  `${publicUrl}/consultations/${consultationId}${options.paid ? '?paid=1' : ''}#token=${consultationToken(linkSecret, consultationId, issuedAt)}`;

/** Phases 1–4 and 13 as the patient drives them, each one command (or a vendor call and one command). */
export const patientActions = (core: ConsultationCore) => {
  const { deps, now, execute, load, requireConsultation, productFor, currentProduct, account, recordFact } =
    core;

  /** A product withdrawn by the admin takes no new consultations (or renewals); ones under way go on. */
  const offeredProduct = async (productId: string) => {
    const product = await currentProduct(productId);
    if (!product.available)
      throw new DomainError(
        'conflict',
        'PRODUCT_UNAVAILABLE',
        `${product.name} is not available at the moment`,
      );
    return product;
  };

  /** Starts the renewal that `RenewalRequested` named, once: every id here derives from it. */
  const startRenewal = async (previousId: string, basis: RenewalBasis, renewalId: string, meta: Actor) => {
    const previous = await account(previousId);
    if (!previous.patient)
      throw new DomainError('conflict', 'PATIENT_UNKNOWN', 'the earlier consultation has no patient');
    const product = await offeredProduct(basis.productId);
    await recordFact(
      renewalId,
      { type: 'PatientDetailsRecorded', data: { ...previous.patient, consultationId: renewalId } },
      { actor: meta.actor, idParts: ['renewal-of', previousId] },
    );
    // The card on file pays the new plan's checkout and its monthly charges.
    if (previous.stripeCustomerId) {
      await recordFact(
        renewalId,
        {
          type: 'StripeCustomerLinked',
          data: { customerId: previous.stripeCustomerId, checkoutSessionId: 'carried-over' },
        },
        { actor: meta.actor, idParts: ['renewal-of', previousId] },
      );
    }
    await execute(
      renewalId,
      {
        type: 'StartConsultation',
        consultationId: renewalId,
        patientRef: previous.patient.patientRef,
        product,
        renewalOf: basis,
        now: now(),
      },
      { ...meta, commandId: deterministicId('renewal-start', previousId, renewalId) },
    );
  };

  return {
    /**
     * Starts a consultation. With a request key (the client's Idempotency-Key) the consultation's id
     * derives from it, so a request repeated after a lost answer reaches the same consultation
     * instead of starting a second one beside an orphan.
     */
    async start(
      input: {
        productId: string;
        patient: NewPatient;
        gpConsent: boolean;
        requestKey?: string;
        /** A UK mobile in E.164, when the patient wants order updates by text too. */
        smsPhone?: string;
      },
      meta: Actor,
    ) {
      const product = await offeredProduct(input.productId);
      // The GP hears of every treatment before dispatch; without consent to tell them we cannot supply.
      if (!input.gpConsent) {
        throw new DomainError(
          'invalid',
          'GP_CONSENT_REQUIRED',
          'we write to your GP before any treatment is sent; please consent to us informing your GP',
        );
      }
      const consultationId = input.requestKey
        ? idFromKey(`consultation-request:${input.requestKey}`)
        : newId();
      const patientRef = patientRefFor(deps.linkSecret, input.patient.email);
      if (input.requestKey) {
        // The same key for another patient or product is another request: refuse, as intake does.
        const [earlier, state] = await Promise.all([account(consultationId), load(consultationId)]);
        const samePatient = !earlier.patient || earlier.patient.patientRef === patientRef;
        const sameProduct = !state.product || state.product.productId === product.id;
        if (!samePatient || !sameProduct) {
          throw new DomainError(
            'conflict',
            'IDEMPOTENCY_KEY_REUSED',
            'this request key was already used to start another consultation',
          );
        }
      }
      await recordFact(
        consultationId,
        {
          type: 'PatientDetailsRecorded',
          data: {
            ...input.patient,
            consultationId,
            patientRef,
            gpConsent: { given: true, recordedAt: now() },
          },
        },
        { actor: meta.actor, idParts: ['start'] },
      );
      if (input.smsPhone) {
        await recordFact(
          consultationId,
          { type: 'SmsUpdatesChosen', data: { phone: input.smsPhone } },
          { actor: meta.actor, idParts: ['start', 'sms'] },
        );
      }
      const result = await execute(
        consultationId,
        { type: 'StartConsultation', consultationId, patientRef, product, renewalOf: null, now: now() },
        {
          ...meta,
          correlationId: consultationId,
          commandId: deterministicId('start-consultation', consultationId),
        },
      );
      return {
        consultationId,
        token: consultationToken(deps.linkSecret, consultationId, deps.clock.now()),
        state: result.state,
      };
    },

    async saveAnswers(consultationId: string, stepId: string, answers: Answers, meta: Actor) {
      const state = await requireConsultation(consultationId);
      const { questionnaire } = productFor(state);
      return execute(
        consultationId,
        { type: 'SaveAnswers', stepId, answers, questionnaire, now: now() },
        meta,
      );
    },

    async submit(consultationId: string, meta: Actor) {
      const state = await requireConsultation(consultationId);
      const { questionnaire } = productFor(state);
      return execute(consultationId, { type: 'SubmitQuestionnaire', questionnaire, now: now() }, meta);
    },

    /**
     * Phase 3: records the plan, opens a Stripe Checkout for the first charge (the whole order for a
     * one-off) and keeps the card for the monthly charges. An earlier open checkout is closed first,
     * so the patient can only ever pay one of them.
     */
    async startCheckout(consultationId: string, plan: Plan, meta: Actor) {
      let state = await requireConsultation(consultationId);
      // Priced on today's terms when the plan is chosen; once chosen (and paid) the price stays.
      const product = await currentProduct(productFor(state).id);
      if (!samePlan(state.plan, plan)) {
        state = (await execute(consultationId, { type: 'ChoosePlan', plan, product, now: now() }, meta))
          .state;
      }
      if (state.status !== 'awaiting_payment') {
        throw new DomainError(
          'conflict',
          'INVALID_STATUS',
          `cannot start checkout while the consultation is ${state.status}`,
        );
      }
      const facts = await account(consultationId);
      if (!facts.patient)
        throw new DomainError('conflict', 'PATIENT_UNKNOWN', 'the consultation has no patient details');
      const open = facts.checkoutLinks.at(-1);
      if (open && Date.parse(open.expiresAt) > deps.clock.now().getTime()) {
        const closed = await deps.payments.expireCheckout({ sessionId: open.checkoutSessionId });
        if (closed.status === 'complete') {
          throw new DomainError(
            'conflict',
            'PAYMENT_IN_PROGRESS',
            'your earlier payment went through; it will show on your consultation in a moment',
          );
        }
      }
      const attempt = state.checkoutSessions.length + 1;
      const amountPence = state.price!.firstChargePence;
      // A retried request must send Stripe exactly what the first one sent under its key: the
      // expiry is fixed by the hour the checkout was asked for, and that hour is part of the key.
      const hour = Math.floor(deps.clock.now().getTime() / HOUR);
      const checkout = await deps.payments.createCheckout({
        idempotencyKey: deterministicId(
          'consultation-checkout',
          consultationId,
          attempt,
          JSON.stringify(plan),
          hour,
        ),
        orderRef: consultationId,
        amountMinor: amountPence,
        currency: 'gbp',
        description:
          plan.kind === 'one_off'
            ? `${product.name}: one-off order`
            : `${product.name}: first month of a ${plan.months}-month plan`,
        ...(facts.stripeCustomerId
          ? { customerId: facts.stripeCustomerId }
          : { customerEmail: facts.patient.email }),
        // The links' issue time is the same hour as the key's, so a retried request sends them unchanged.
        successUrl: consultationUrl(deps.publicUrl, deps.linkSecret, consultationId, new Date(hour * HOUR), {
          paid: true,
        }),
        cancelUrl: consultationUrl(deps.publicUrl, deps.linkSecret, consultationId, new Date(hour * HOUR)),
        expiresAt: new Date((hour + CHECKOUT_HOURS) * HOUR),
        saveCardForFutureCharges: plan.kind === 'instalment',
        metadata: { flow: 'consultation', consultationId, kind: 'checkout' },
      });
      await recordFact(
        consultationId,
        {
          type: 'CheckoutLinkCreated',
          data: {
            checkoutSessionId: checkout.sessionId,
            url: checkout.url,
            expiresAt: checkout.expiresAt,
            amountPence,
          },
        },
        { actor: meta.actor, idParts: [checkout.sessionId] },
      );
      await execute(
        consultationId,
        { type: 'RecordCheckoutStarted', checkoutSessionId: checkout.sessionId, now: now() },
        { ...meta, commandId: deterministicId('checkout-started', checkout.sessionId) },
      );
      return { checkoutSessionId: checkout.sessionId, url: checkout.url, amountPence, plan };
    },

    /** Phase 4 after a failed electronic check: the patient's photo ID, typed by its bytes, kept in S3. */
    async uploadIdDocument(consultationId: string, documentType: IdDocumentType, body: Buffer, meta: Actor) {
      if (body.length === 0) throw new DomainError('invalid', 'FILE_EMPTY', 'the uploaded file is empty');
      if (body.length > MAX_CARD_IMAGE_BYTES) {
        throw new DomainError(
          'invalid',
          'FILE_TOO_LARGE',
          `ID images may be at most ${MAX_CARD_IMAGE_BYTES / 1024 / 1024} MB`,
        );
      }
      const contentType = sniffDocumentType(body);
      if (!contentType) {
        throw new DomainError('invalid', 'FILE_TYPE_NOT_ALLOWED', 'ID images must be JPEG, PNG or PDF files');
      }
      // Judge the status before storing, so a refused upload leaves no orphan document.
      const state = await requireConsultation(consultationId);
      if (state.status !== 'id_document_requested') {
        throw new DomainError(
          'conflict',
          'INVALID_STATUS',
          `no identity document is requested while ${state.status}`,
        );
      }
      const sha256 = createHash('sha256').update(body).digest('hex');
      // The document type travels in the key: the identity check reads it back from there.
      const key = `consultations/${consultationId}/id-${documentType}-${sha256.slice(0, 16)}`;
      await deps.documents.put({
        key,
        body,
        contentType,
        metadata: { consultation: consultationId, documentType },
      });
      return execute(
        consultationId,
        { type: 'UploadIdDocument', document: { key, contentType, sha256 }, now: now() },
        meta,
      );
    },

    reply: (consultationId: string, message: string, meta: Actor) =>
      execute(consultationId, { type: 'RecordPatientReply', message, now: now() }, meta),

    requestCancellation: (consultationId: string, message: string, meta: Actor) =>
      execute(consultationId, { type: 'RequestCancellation', message, now: now() }, meta),

    /**
     * Phase 13: reorder a one-off or renew a plan on the answers on record. Inside the grace period
     * and the 12-month limit this opens a new consultation to re-confirm; past them the answers are
     * cleared and the patient is told to start afresh. Asking twice gives the same renewal.
     */
    async renew(previousId: string, meta: Actor) {
      const state = await requireConsultation(previousId);
      if (state.status === 'consultation_required') {
        const required = (await core.history(previousId)).findLast((e) => e.type === 'ConsultationRequired');
        return {
          kind: 'consultation_required' as const,
          reason: (required?.data as { reason: string } | undefined)?.reason ?? 'twelve_month_limit',
        };
      }
      let renewalId = state.renewalConsultationId;
      if (!renewalId) {
        const result = await execute(
          previousId,
          { type: 'RequestRenewal', renewalConsultationId: newId(), now: now() },
          meta,
        );
        const required = result.events.find((e) => e.type === 'ConsultationRequired');
        if (required) {
          return {
            kind: 'consultation_required' as const,
            reason: (required.data as { reason: string }).reason,
          };
        }
        renewalId = result.state.renewalConsultationId!;
      }
      if ((await load(renewalId)).status === 'none') {
        const requested = (await core.history(previousId)).find((e) => e.type === 'RenewalRequested');
        const basis = (requested!.data as { basis: RenewalBasis }).basis;
        await startRenewal(previousId, basis, renewalId, meta);
      }
      return {
        kind: 'renewal' as const,
        consultationId: renewalId,
        token: consultationToken(deps.linkSecret, renewalId, deps.clock.now()),
      };
    },
  };
};
