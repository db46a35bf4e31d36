import { deterministicId } from '../platform/ids.js';

/** Twilio's message statuses (Message resource, `status`). */
export const SMS_STATUSES = [
  'queued',
  'accepted',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'receiving',
  'received',
  'read',
  'partially_delivered',
] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

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
export const isOptedOut = (events: readonly { type: string }[]): boolean => {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const type = events[i]!.type;
    if (type === 'SmsOptedOut') return true;
    if (type === 'SmsOptedIn') return false;
  }
  return false;
};
