import type pg from 'pg';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import type { OrderCommand } from '../../domain/prescription/order.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import type { ClaimAdjudicator } from '../../integrations/adjudication/port.js';
import type { Mailer } from '../../integrations/email/port.js';
import type { PaymentGateway } from '../../integrations/payments/port.js';
import type { ShippingCarrier } from '../../integrations/shipping/port.js';
import type { Clock } from '../../platform/clock.js';
import type { ProcessContext } from '../runtime.js';

export type PrescriptionProcessDeps = {
  commands: OrderCommands;
  pool: pg.Pool;
  clock: Clock;
  mailer: Mailer;
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  adjudicator: ClaimAdjudicator;
  linkSecret: string;
  /** Where patients reach the web front end, e.g. https://pharmacy.example.org */
  publicUrl: string;
  trackingPollMs: number;
};

export const orderIdOf = (event: RecordedEvent) => event.streamName.slice('order-'.length);

/** Issues a command caused by `event`: same command id on every redelivery, so it applies once. */
export const commandFrom = (
  deps: PrescriptionProcessDeps,
  event: RecordedEvent,
  context: Pick<ProcessContext, 'commandId'>,
  actor: string,
  command: OrderCommand,
  purpose = command.type,
) =>
  deps.commands.execute(orderIdOf(event), command, {
    actor,
    commandId: context.commandId(purpose),
    causationId: event.id,
    correlationId: event.metadata.correlationId,
  });
