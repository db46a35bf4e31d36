import type { PatientLinkEvent } from '../commands/patientLinks.js';
import type { DrugEvent } from '../domain/catalogue/drug.js';
import type { AccountEvent } from '../domain/consultation/account.js';
import type { ConsultationEvent } from '../domain/consultation/consultationEvents.js';
import type { StockEvent } from '../domain/consultation/stock.js';
import type { OrderEvent } from '../domain/prescription/orderEvents.js';
import type { PharmacyEvent } from '../domain/routing/pharmacy.js';
import type { SmsLineEvent } from '../domain/smsLine.js';
import { type RecordedEvent, streamCategory } from '../eventstore/types.js';
import type { ProcessContext, ProcessManager } from './runtime.js';

/** The events of each stream category a process manager may react to. */
export type EventsByCategory = {
  order: OrderEvent;
  consultation: ConsultationEvent;
  consultationaccount: AccountEvent;
  stock: StockEvent;
  drug: DrugEvent;
  pharmacy: PharmacyEvent;
  smsline: SmsLineEvent;
  patientlink: PatientLinkEvent;
};
export type Category = keyof EventsByCategory;

/**
 * Every event a process manager may react to. A type named in two flows (`RefundRequested` on an
 * order and on a consultation account) is either one: an `eventTypes` subscription receives both,
 * unless the reactor names its categories.
 */
export type ReactableEvent = EventsByCategory[Category];
export type ReactableType = ReactableEvent['type'];

/** The recorded events of these types in these categories, each with its own data. */
export type EventOf<T extends string, C extends Category = Category> = EventsByCategory[C] extends infer E
  ? E extends { type: T; data: infer D }
    ? RecordedEvent<E['type'], D>
    : never
  : never;

/** A process manager that says which event types it handles, and receives them typed. */
export type Reactor = ProcessManager & { canHandle(type: string): boolean };

/**
 * Declares a process manager by the event types it reacts to: its subscription is those types, and
 * its handler gets each event with the data of its type (read through the upcasters, so as the
 * type's newest version). The one cast from the store's untyped record lives here.
 */
export const reactor = <
  const Types extends readonly EventsByCategory[C]['type'][],
  const C extends Category = Category,
>(spec: {
  name: string;
  handles: Types;
  /** Only events of streams in these categories reach `handle` (default: whatever has the type). */
  categories?: readonly C[];
  handle(event: EventOf<Types[number], C>, context: ProcessContext): Promise<void>;
  timers?: ProcessManager['timers'];
}): Reactor => {
  const handled = new Set<string>(spec.handles);
  const categories = spec.categories ? new Set<string>(spec.categories) : null;
  const canHandle = (type: string) => handled.has(type);
  return {
    name: spec.name,
    filter: { kind: 'eventTypes', eventTypes: spec.handles },
    canHandle,
    async handle(event, context) {
      if (!canHandle(event.type)) return;
      if (categories && !categories.has(streamCategory(event.streamName))) return;
      await spec.handle(event as EventOf<Types[number], C>, context);
    },
    ...(spec.timers ? { timers: spec.timers } : {}),
  };
};
