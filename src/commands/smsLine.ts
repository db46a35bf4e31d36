import type { EventStore, RecordedEvent } from '../eventstore/types.js';
import type { SmsStatus } from '../integrations/sms/port.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';

/**
 * One patient phone line, as the SMS provider reports on it: the patient's STOP and START
 * replies, and what became of each text sent to it. A stream per number (named by a derived id,
 * so the number itself is not in the name) lets the sender decide from the line's own history,
 * never from a lagging read model: a STOP recorded before a send is always seen by it.
 */
export type SmsLineEvent =
  | { type: 'SmsOptedOut'; data: { phone: string; messageSid: string; receivedAt: string } }
  | { type: 'SmsOptedIn'; data: { phone: string; messageSid: string; receivedAt: string } }
  | {
      type: 'SmsDeliveryReported';
      data: {
        phone: string;
        messageSid: string;
        messageKey: string | null;
        status: SmsStatus;
        errorCode: string | null;
        reportedAt: string;
      };
    };

export const smsLineStream = (phone: string) => `smsline-${deterministicId('sms-line', phone)}`;

/** Opted out when the line's last keyword was STOP. */
export const isOptedOut = (events: readonly Pick<RecordedEvent, 'type'>[]): boolean => {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const type = events[i]!.type;
    if (type === 'SmsOptedOut') return true;
    if (type === 'SmsOptedIn') return false;
  }
  return false;
};

export const smsLine = (deps: { store: EventStore; clock: Clock }) => {
  /** Ids from the provider's message (and status), so a redelivered webhook records nothing new. */
  const append = (phone: string, event: SmsLineEvent, idParts: string[]) =>
    deps.store.appendToStream(smsLineStream(phone), [
      {
        id: deterministicId('sms-line-event', ...idParts),
        type: event.type,
        data: event.data,
        metadata: {
          correlationId: event.data.messageSid,
          causationId: null,
          actor: 'webhook:twilio',
          occurredAt: deps.clock.now().toISOString(),
        },
      },
    ]);

  return {
    async optedOut(phone: string): Promise<boolean> {
      return isOptedOut(await deps.store.readStream(smsLineStream(phone)));
    },
    recordKeyword(phone: string, keyword: 'stop' | 'start', messageSid: string) {
      const data = { phone, messageSid, receivedAt: deps.clock.now().toISOString() };
      return append(
        phone,
        keyword === 'stop' ? { type: 'SmsOptedOut', data } : { type: 'SmsOptedIn', data },
        [messageSid, keyword],
      );
    },
    recordDelivery(
      report: Omit<Extract<SmsLineEvent, { type: 'SmsDeliveryReported' }>['data'], 'reportedAt'>,
    ) {
      return append(
        report.phone,
        { type: 'SmsDeliveryReported', data: { ...report, reportedAt: deps.clock.now().toISOString() } },
        [report.messageSid, report.status, report.errorCode ?? ''],
      );
    },
  };
};
export type SmsLine = ReturnType<typeof smsLine>;
