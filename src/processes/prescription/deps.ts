import type { DrugCatalogue } from '../../commands/catalogue/drugCatalogue.js';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import type { OrderCommand } from '../../domain/prescription/order.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import type { ClaimAdjudicator } from '../../integrations/adjudication/port.js';
import type { Mailer } from '../../integrations/email/port.js';
import type { PaymentGateway } from '../../integrations/payments/port.js';
import type { ShippingCarrier } from '../../integrations/shipping/port.js';
import type { SmsSender } from '../../integrations/sms/port.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import type { ProcessContext } from '../runtime.js';

export type PrescriptionProcessDeps = {
  commands: OrderCommands;
  /** The drug catalogue, read from its streams where a decision must not lag behind it. */
  catalogue: Pick<DrugCatalogue, 'load'>;
  pool: SqlPool;
  clock: Clock;
  mailer: Mailer;
  /** Texts for patients who chose them at enrollment; absent when no SMS provider is configured. */
  sms?: SmsSender;
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  adjudicator: ClaimAdjudicator;
  linkSecret: string;
  /** The US business patients deal with, named in their e-mails and texts. */
  pharmacyName: string;
  /** Where patients reach the web front end, e.g. https://pharmacy.example.org */
  publicUrl: string;
  trackingPollMs: number;
  /** When an open checkout is read back from Stripe, in case its webhook never comes. */
  paymentCheckMs: number;
};

export const orderIdOf = (event: RecordedEvent) => event.streamName.slice('order-'.length);

/** Issues a command caused by `event`: same command id on every redelivery, so it applies once. */
export const commandFrom = (
  deps: PrescriptionProcessDeps,
  event: RecordedEvent,
  context: Pick<ProcessContext, 'commandId'>,
  actor: string,
  command: OrderCommand,
  purpose: string = command.type,
) =>
  deps.commands.execute(orderIdOf(event), command, {
    actor,
    commandId: context.commandId(purpose),
    causationId: event.id,
    correlationId: event.metadata.correlationId,
  });
