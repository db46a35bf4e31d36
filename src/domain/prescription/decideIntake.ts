import { DomainError } from '../decider.js';
import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent } from './orderEvents.js';
import { type OrderState, requireStatus } from './orderState.js';
import { TERMINAL_STATUSES } from './terminal.js';

/** A prescription's arrival, its validation and the corrections ops make to it; null for any other command. */
export const decideIntake = (command: OrderCommand, state: OrderState): OrderEvent[] | null => {
  switch (command.type) {
    case 'ReceivePrescription':
      requireStatus(state, ['none'], 'receive a prescription');
      return [
        {
          type: 'PrescriptionReceived',
          data: {
            orderId: command.orderId,
            messageId: command.messageId,
            patientKey: command.patientKey,
            prescription: command.prescription,
            rawMessage: command.rawMessage,
            receivedAt: command.now,
          },
        },
      ];

    case 'RecordValidation':
      // Validation answers the latest received or corrected prescription; a late answer is dropped.
      if (state.status !== 'received') return [];
      return command.outcome.ok
        ? [
            {
              type: 'PrescriptionValidated',
              data: { normalisedNdc: command.outcome.normalisedNdc, validatedAt: command.now },
            },
          ]
        : [
            {
              type: 'PrescriptionValidationFailed',
              data: { issues: command.outcome.issues, validatedAt: command.now },
            },
          ];

    case 'CorrectPrescription':
      requireStatus(state, ['validation_issue', 'validated'], 'correct the prescription');
      return [
        {
          type: 'PrescriptionCorrected',
          data: {
            prescription: command.prescription,
            correctedFields: command.correctedFields,
            reason: command.reason,
          },
        },
      ];

    case 'CorrectPatientContact': {
      if (state.status === 'none' || TERMINAL_STATUSES.includes(state.status)) {
        requireStatus(state, [], 'correct the patient’s contact details');
      }
      const { address, phone, email } = command;
      if (!address && phone === undefined && email === undefined) {
        throw new DomainError('invalid', 'NOTHING_CORRECTED', 'give the address, phone or e-mail to correct');
      }
      return [
        {
          type: 'PatientContactCorrected',
          data: {
            ...(address ? { address } : {}),
            ...(phone !== undefined ? { phone } : {}),
            ...(email !== undefined ? { email } : {}),
            reason: command.reason,
          },
        },
      ];
    }

    default:
      return null;
  }
};
