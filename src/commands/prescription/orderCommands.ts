import { createHash } from 'node:crypto';
import { DomainError, fold } from '../../domain/decider.js';
import { CONSENT } from '../../domain/prescription/consent.js';
import { parseNewRx, patientKey } from '../../domain/prescription/ncpdp.js';
import {
  type OrderCommand,
  type OrderState,
  orderDecider,
  orderStream,
  requireUsableLink,
} from '../../domain/prescription/order.js';
import type {
  DeliveryStatus,
  InsuranceDetails,
  OrderEvent,
  PriorAuthorizationSource,
} from '../../domain/prescription/orderEvents.js';
import type { Address } from '../../domain/prescription/types.js';
import { applyCorrections, type PrescriptionCorrections } from '../../domain/prescription/validation.js';
import type { EventStore } from '../../eventstore/types.js';
import type { DocumentStore } from '../../integrations/documents/port.js';
import { MAX_CARD_IMAGE_BYTES, sniffDocumentType } from '../../integrations/documents/sniff.js';
import { type Clock, HOUR } from '../../platform/clock.js';
import { deterministicId, newUuid } from '../../platform/ids.js';
import type { SqlPool } from '../../platform/sql.js';
import { orderOfEnrollmentLink } from '../../projections/orders/orderQueries.js';
import { findPharmacy } from '../../projections/pharmacyQueries.js';
import { type CommandResult, createCommandHandler } from '../commandHandler.js';
import { linkParcel } from '../parcels.js';
import { createStreamCache, readCurrent } from '../streamCache.js';
import { intakeOrderId, legacyIntakeClaim } from './intake.js';
import { enrollmentToken, hashToken, newLinkId } from './tokens.js';

export type OrderCommandsDeps = {
  store: EventStore;
  pool: SqlPool;
  clock: Clock;
  documents: DocumentStore;
  linkSecret: string;
  linkTtlHours: number;
  /**
   * Whether the store holds MessageID claim streams from before intake became one append (only a
   * PostgreSQL store upgraded from such a version can); absent, there are none to honour.
   */
  legacyIntakeClaimsPresent?: () => Promise<boolean>;
};

export type Actor = { actor: string; correlationId?: string };

/**
 * Why a message was refused, in the flow's terms; the HTTP edge chooses the status: a body that is
 * no well-formed, acceptable message; a message that is not a NewRx; a MessageID already received
 * with another body.
 */
export type IntakeRefusal = 'malformed' | 'not_newrx' | 'message_id_reused';

export type IntakeOutcome =
  | { kind: 'accepted'; orderId: string; status: string; duplicate: boolean }
  | { kind: 'refused'; reason: IntakeRefusal; title: string; problems: string[] };

/** `{ patient: { dateOfBirth } }` → `['patient.dateOfBirth']`: what ops changed, for the history. */
const correctedPaths = (corrections: PrescriptionCorrections) =>
  Object.entries(corrections).flatMap(([section, fields]) =>
    Object.entries(fields ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([field]) => `${section}.${field}`),
  );

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The ops and patient actions of the prescription flow, each one command on the order's stream. */
export const createOrderCommands = (deps: OrderCommandsDeps) => {
  // A process manager loads an order, then commands it: the command decides on what was loaded.
  const cache = createStreamCache();
  const handle = createCommandHandler(deps.store, orderDecider, { clock: deps.clock, cache });
  const now = () => deps.clock.now().toISOString();
  const legacyClaimsPresent = deps.legacyIntakeClaimsPresent ?? (async () => false);

  const execute = async (
    orderId: string,
    command: OrderCommand,
    meta: Actor & { commandId?: string; causationId?: string },
  ) => {
    if (command.type === 'RecordShippingLabel')
      await linkParcel(
        deps.store,
        deps.clock,
        { trackingNumber: command.label.trackingNumber, streamName: orderStream(orderId) },
        { ...meta, correlationId: meta.correlationId ?? orderId },
      );
    return handle({
      commandId: meta.commandId ?? newUuid(),
      streamName: orderStream(orderId),
      command,
      actor: meta.actor,
      correlationId: meta.correlationId ?? orderId,
      causationId: meta.causationId,
    });
  };

  const load = async (orderId: string): Promise<OrderState> =>
    fold(orderDecider, (await readCurrent(deps.store, cache, orderStream(orderId))) as never);

  const requireOrder = async (orderId: string) => {
    const state = await load(orderId);
    if (state.status === 'none') throw new DomainError('not_found', 'ORDER_NOT_FOUND', `no order ${orderId}`);
    return state;
  };

  /** Finds the order behind a magic-link token; the decider then judges expiry and use. */
  const orderForToken = async (token: string) => {
    const tokenHash = hashToken(token);
    const orderId = await orderOfEnrollmentLink(deps.pool, tokenHash);
    if (!orderId) throw new DomainError('not_found', 'LINK_INVALID', 'this enrollment link is not valid');
    return { orderId, tokenHash };
  };

  return {
    execute,
    load,

    async receiveNewRx(rawMessage: string, meta: Actor): Promise<IntakeOutcome> {
      const parsed = parseNewRx(rawMessage);
      if (!parsed.ok) {
        const title = {
          forbidden_dtd: 'DOCTYPE and entity declarations are not accepted',
          not_xml: 'The body is not well-formed XML',
          not_newrx: 'The message is not an NCPDP SCRIPT NewRx',
          field_invalid: 'The message holds a field that cannot be taken in',
        }[parsed.kind];
        return {
          kind: 'refused',
          reason: parsed.kind === 'not_newrx' ? 'not_newrx' : 'malformed',
          title,
          problems: parsed.problems,
        };
      }
      const { messageId } = parsed.message.header;
      const conflict: IntakeOutcome = {
        kind: 'refused',
        reason: 'message_id_reused',
        title: 'MessageID already used',
        problems: [`Header/MessageID ${messageId} was already received with a different body`],
      };
      const legacy = (await legacyClaimsPresent())
        ? await legacyIntakeClaim(deps.store, messageId, rawMessage)
        : null;
      if (legacy?.kind === 'conflict') return conflict;
      const orderId = legacy?.orderId ?? intakeOrderId(parsed.message.header);
      const result = await handle({
        commandId: deterministicId('receive-newrx', legacy ? messageId : orderId),
        streamName: orderStream(orderId),
        command: {
          type: 'ReceivePrescription',
          orderId,
          messageId,
          patientKey: patientKey(parsed.message) ?? null,
          prescription: parsed.message,
          rawMessage,
          now: now(),
        },
        actor: meta.actor,
        // The intake request's id, so its log lines and everything the order's processes do follow on.
        correlationId: meta.correlationId ?? orderId,
        startsStream: !legacy,
      });
      // A repeat is answered from the order, unless the ID came back with another body.
      const [received] = result.events as unknown as Extract<OrderEvent, { type: 'PrescriptionReceived' }>[];
      if (result.repeated && !legacy && received?.data.rawMessage !== rawMessage) return conflict;
      return { kind: 'accepted', orderId, status: result.state.status, duplicate: result.repeated };
    },

    async correctPrescription(
      orderId: string,
      corrections: PrescriptionCorrections,
      reason: string,
      meta: Actor,
    ) {
      const state = await requireOrder(orderId);
      const prescription = applyCorrections(state.prescription!, corrections);
      return execute(
        orderId,
        { type: 'CorrectPrescription', prescription, correctedFields: correctedPaths(corrections), reason },
        meta,
      );
    },

    /** Start or resend: a fresh link replaces any earlier one, which stops working. */
    async issueEnrollmentLink(orderId: string, email: string | undefined, meta: Actor) {
      const state = await requireOrder(orderId);
      const to = email ?? state.email;
      if (!to) {
        throw new DomainError(
          'invalid',
          'EMAIL_REQUIRED',
          'the prescription has no patient e-mail address; give one to send the link to',
        );
      }
      const linkId = newLinkId();
      const expiresAt = new Date(deps.clock.now().getTime() + deps.linkTtlHours * HOUR).toISOString();
      return execute(
        orderId,
        {
          type: 'IssueEnrollmentLink',
          linkId,
          tokenHash: hashToken(enrollmentToken(deps.linkSecret, linkId)),
          expiresAt,
          email: to,
        },
        meta,
      );
    },

    /** What the patient's enrollment page shows; refuses used, expired and replaced links. */
    async enrollmentFor(token: string) {
      const { orderId, tokenHash } = await orderForToken(token);
      const state = await load(orderId);
      requireUsableLink(state, tokenHash, now());
      return { orderId, state };
    },

    async uploadInsuranceCard(token: string, side: 'front' | 'back', body: Buffer, meta: Actor) {
      const { orderId, tokenHash } = await orderForToken(token);
      if (body.length === 0) throw new DomainError('invalid', 'FILE_EMPTY', 'the uploaded file is empty');
      if (body.length > MAX_CARD_IMAGE_BYTES) {
        throw new DomainError(
          'invalid',
          'FILE_TOO_LARGE',
          `card images may be at most ${MAX_CARD_IMAGE_BYTES / 1024 / 1024} MB`,
        );
      }
      const contentType = sniffDocumentType(body);
      if (!contentType)
        throw new DomainError(
          'invalid',
          'FILE_TYPE_NOT_ALLOWED',
          'card images must be JPEG, PNG or PDF files',
        );
      // Judge the link before storing anything, so an expired link leaves no orphan document.
      requireUsableLink(await load(orderId), tokenHash, now());
      const digest = sha256(body);
      const document = {
        key: `orders/${orderId}/insurance-card-${side}-${digest.slice(0, 16)}`,
        contentType,
        size: body.length,
        sha256: digest,
      };
      await deps.documents.put({ key: document.key, body, contentType, metadata: { order: orderId, side } });
      return execute(
        orderId,
        { type: 'UploadInsuranceCard', tokenHash, side, document, now: now() },
        { ...meta, correlationId: orderId },
      );
    },

    async completeEnrollment(
      token: string,
      input: {
        insurance: InsuranceDetails;
        consent: { accepted: true; version: string; signedName: string };
        /** The patient's mobile in E.164, when they chose texts as well as e-mails. */
        notifications?: { sms: string };
      },
      request: { ipAddress: string; userAgent: string },
      meta: Actor,
    ): Promise<CommandResult<OrderState>> {
      const { orderId, tokenHash } = await orderForToken(token);
      if (input.consent.version !== CONSENT.version) {
        throw new DomainError(
          'conflict',
          'CONSENT_OUTDATED',
          'the consent text has changed; reload the page and read it again',
        );
      }
      return execute(
        orderId,
        {
          type: 'CompleteEnrollment',
          tokenHash,
          insurance: input.insurance,
          consent: {
            version: CONSENT.version,
            textSha256: sha256(CONSENT.text),
            acceptedBy: input.consent.signedName,
            acceptedAt: now(),
            ipAddress: request.ipAddress,
            userAgent: request.userAgent.slice(0, 300),
          },
          ...(input.notifications ? { smsPhone: input.notifications.sms } : {}),
          now: now(),
        },
        { ...meta, correlationId: orderId },
      );
    },

    /** A pharmacy suspended since it was recommended cannot be chosen: the network read model says so. */
    async selectPharmacy(orderId: string, pharmacyId: string, meta: Actor) {
      const pharmacy = await findPharmacy(deps.pool, pharmacyId);
      if (pharmacy?.status === 'suspended')
        throw new DomainError(
          'conflict',
          'PHARMACY_SUSPENDED',
          `${pharmacy.name} is suspended (${pharmacy.suspension?.reason ?? 'no reason given'}): choose another pharmacy`,
        );
      return execute(orderId, { type: 'SelectPharmacy', pharmacyId }, meta);
    },

    resubmitClaim: (orderId: string, reason: string, priorAuthorizationNumber: string | null, meta: Actor) =>
      execute(orderId, { type: 'ResubmitClaim', reason, priorAuthorizationNumber }, meta),

    /** A prior authorization approved outside the payer's system (fax, phone, portal). */
    recordPriorAuthorization: (
      orderId: string,
      input: { number: string; receivedVia: PriorAuthorizationSource; note: string | null },
      meta: Actor,
    ) => execute(orderId, { type: 'RecordPriorAuthorization', ...input }, meta),

    requestReshipment: (orderId: string, reason: string, address: Address | undefined, meta: Actor) =>
      execute(orderId, { type: 'RequestReshipment', reason, ...(address ? { address } : {}) }, meta),

    correctContact: (
      orderId: string,
      correction: { address?: Address; phone?: string; email?: string },
      reason: string,
      meta: Actor,
    ) => execute(orderId, { type: 'CorrectPatientContact', ...correction, reason }, meta),

    /** What ops heard from the carrier by phone or e-mail, when no scan will come. */
    recordDeliveryStatus: (
      orderId: string,
      status: DeliveryStatus | 'failure' | 'returned',
      details: string | null,
      meta: Actor,
    ) =>
      execute(
        orderId,
        { type: 'RecordTracking', status, statusDate: now(), details, now: now(), source: 'staff' },
        meta,
      ),

    /** Cancels and refunds whatever was paid; the refund ids derive from this one command. */
    cancel: (orderId: string, reason: string, meta: Actor) => {
      const commandId = newUuid();
      return execute(
        orderId,
        { type: 'CancelOrder', reason, refundId: deterministicId(commandId, 'refund') },
        { ...meta, commandId },
      );
    },

    requestRefund: (orderId: string, amountMinor: number, reason: string, meta: Actor) => {
      const commandId = newUuid();
      return execute(
        orderId,
        { type: 'RequestRefund', amountMinor, reason, refundId: deterministicId(commandId, 'refund') },
        { ...meta, commandId },
      );
    },

    /** Completes a delivered order by hand, should the completion process be held up. */
    async complete(orderId: string, meta: Actor) {
      const state = await requireOrder(orderId);
      if (state.status !== 'delivered') {
        throw new DomainError(
          'conflict',
          'INVALID_STATUS',
          `cannot complete the order while it is ${state.status}`,
        );
      }
      return execute(orderId, { type: 'CompleteOrder', now: now() }, meta);
    },

    acceptMismatchedPayment: (orderId: string, reason: string, meta: Actor) =>
      execute(orderId, { type: 'AcceptMismatchedPayment', reason }, meta),

    refundMismatchedPayment: (orderId: string, reason: string, meta: Actor) => {
      const commandId = newUuid();
      return execute(
        orderId,
        { type: 'RefundMismatchedPayment', reason, refundId: deterministicId(commandId, 'refund') },
        { ...meta, commandId },
      );
    },
  };
};

export type OrderCommands = ReturnType<typeof createOrderCommands>;
