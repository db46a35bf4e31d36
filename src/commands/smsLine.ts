import { isOptedOut, type SmsLineEvent, smsLineStream } from '../domain/smsLine.js';
import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';

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
