import type { ConsultationCommands } from '../../commands/consultation/consultationCommands.js';
import type { ConsultationCommand } from '../../domain/consultation/consultation.js';
import { type RecordedEvent, streamId } from '../../eventstore/types.js';
import type { DispatchService } from '../../integrations/dispatch/port.js';
import type { DocumentStore } from '../../integrations/documents/port.js';
import type { Mailer } from '../../integrations/email/port.js';
import type { IdentityVerifier } from '../../integrations/identity/port.js';
import type { PaymentGateway } from '../../integrations/payments/port.js';
import type { PmrSync } from '../../integrations/pmr/port.js';
import type { PrescribingService } from '../../integrations/prescribing/port.js';
import type { SmsSender } from '../../integrations/sms/port.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import type { ProcessContext } from '../runtime.js';

/** Where staff e-mails go and how clinicians hear of new cases. */
export type ConsultationTeamConfig = {
  pharmacyTeamEmail: string;
  prescriberTeamEmail: string;
  pharmacistTeamEmail: string;
  /** The NHSmail relay GP letters are sent through; the practice is named in the letter itself. */
  gpLetterMailbox: string;
  /** `immediate`: one e-mail per case; `digest`: one e-mail per queue every `digestMinutes`. */
  reviewNotifications: 'immediate' | 'digest';
  digestMinutes: number;
  pharmacy: { name: string; address: readonly string[]; phone?: string; email?: string };
};

export type ConsultationProcessDeps = {
  commands: ConsultationCommands;
  pool: SqlPool;
  clock: Clock;
  mailer: Mailer;
  /** Texts for patients who asked for order updates by SMS; absent without an SMS provider. */
  sms?: SmsSender;
  documents: DocumentStore;
  payments: PaymentGateway;
  identity: IdentityVerifier;
  prescribing: PrescribingService;
  pmr: PmrSync;
  dispatch: DispatchService;
  linkSecret: string;
  publicUrl: string;
  team: ConsultationTeamConfig;
  /** When an open checkout is read back from Stripe, in case its webhook never comes. */
  paymentCheckMs: number;
  /** How often a dispatched parcel's tracking is read, in case a Royal Mail push was lost. */
  trackingPollMs: number;
};

/** The consultation an event belongs to, from its consultation or account stream. */
export const consultationIdOf = (event: Pick<RecordedEvent, 'streamName'>) => streamId(event.streamName);

/** Issues a command caused by `event`: the same command id on every redelivery, so it applies once. */
export const commandFrom = (
  deps: Pick<ConsultationProcessDeps, 'commands'>,
  event: RecordedEvent,
  context: Pick<ProcessContext, 'commandId'>,
  actor: string,
  command: ConsultationCommand,
  purpose: string = command.type,
) =>
  deps.commands.execute(consultationIdOf(event), command, {
    actor,
    commandId: context.commandId(purpose),
    causationId: event.id,
    correlationId: event.metadata.correlationId,
  });

/** The consultation flow's events only: another flow's event of the same name is not ours. */
export const isConsultationEvent = (event: RecordedEvent) =>
  event.streamName.startsWith('consultation-') || event.streamName.startsWith('consultationaccount-');
