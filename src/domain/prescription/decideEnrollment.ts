import { DomainError } from '../decider.js';
import { smsNumber } from '../phoneNumber.js';
import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent } from './orderEvents.js';
import { type OrderState, requireStatus } from './orderState.js';

/** The magic link must be the current one, unused and unexpired; each refusal says which. */
export const requireUsableLink = (state: OrderState, tokenHash: string, now: string) => {
  const link = state.enrollmentLink;
  if (!link || link.tokenHash !== tokenHash) {
    throw new DomainError(
      'not_found',
      'LINK_INVALID',
      'this enrollment link is no longer valid; a newer link may have been sent',
    );
  }
  if (link.used || state.status !== 'awaiting_enrollment') {
    throw new DomainError('gone', 'LINK_USED', 'this enrollment link has already been used');
  }
  if (Date.parse(now) >= Date.parse(link.expiresAt)) {
    throw new DomainError(
      'gone',
      'LINK_EXPIRED',
      'this enrollment link has expired; ask the pharmacy for a new one',
    );
  }
};

/** The patient's enrollment through the magic link: the link, the card photos, the submission; null for any other command. */
export const decideEnrollment = (command: OrderCommand, state: OrderState): OrderEvent[] | null => {
  switch (command.type) {
    case 'IssueEnrollmentLink': {
      requireStatus(state, ['validated', 'awaiting_enrollment'], 'send an enrollment link');
      const resend = state.status === 'awaiting_enrollment';
      return [
        {
          type: 'EnrollmentLinkIssued',
          data: {
            linkId: command.linkId,
            tokenHash: command.tokenHash,
            expiresAt: command.expiresAt,
            email: command.email,
            resend,
          },
        },
      ];
    }

    case 'UploadInsuranceCard':
      requireUsableLink(state, command.tokenHash, command.now);
      return [{ type: 'InsuranceCardUploaded', data: { side: command.side, document: command.document } }];

    case 'CompleteEnrollment': {
      requireUsableLink(state, command.tokenHash, command.now);
      const { front, back } = state.cards;
      if (!front || !back) {
        throw new DomainError(
          'invalid',
          'CARDS_MISSING',
          'upload the front and the back of the insurance card before submitting',
          {
            missing: [front ? null : 'front', back ? null : 'back'].filter(Boolean),
          },
        );
      }
      if (command.smsPhone !== undefined) {
        const checked = smsNumber(command.smsPhone, 'US');
        if (!checked.ok || checked.e164 !== command.smsPhone) {
          throw new DomainError(
            'invalid',
            'INVALID_PHONE',
            'give the mobile number for texts in E.164 (+1…)',
          );
        }
      }
      return [
        {
          type: 'EnrollmentCompleted',
          data: { insurance: command.insurance, cardFront: front, cardBack: back, consent: command.consent },
        },
        ...(command.smsPhone !== undefined
          ? [{ type: 'SmsNotificationsChosen' as const, data: { phone: command.smsPhone } }]
          : []),
      ];
    }

    default:
      return null;
  }
};
