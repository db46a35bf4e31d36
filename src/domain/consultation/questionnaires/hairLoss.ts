import type { Questionnaire } from '../questionnaire.js';
import { aboutYouStep, commonRules, confirmationStep, isFemale, medicinesStep } from './common.js';

export const hairLossQuestionnaire: Questionnaire = {
  version: 'hair-loss-2026.1',
  steps: [
    aboutYouStep(),
    {
      id: 'hair-loss',
      title: 'Your hair loss',
      questions: [
        {
          id: 'pattern',
          text: 'Which best describes your hair loss?',
          kind: 'single',
          required: true,
          options: [
            { value: 'receding', label: 'Receding at the temples' },
            { value: 'crown', label: 'Thinning at the crown' },
            { value: 'both', label: 'Both' },
            { value: 'patches', label: 'Patches, or sudden loss' },
          ],
        },
        {
          id: 'conditions',
          text: 'Do you have, or have you had, any of the following?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'prostateCancer', label: 'Prostate cancer' },
            { value: 'liverDisease', label: 'Liver disease' },
            { value: 'depression', label: 'Depression' },
            { value: 'none', label: 'None of these' },
          ],
        },
      ],
    },
    medicinesStep,
    confirmationStep,
  ],
  autoDenyRules: [
    ...commonRules(18),
    {
      id: 'not-licensed-for-women',
      when: isFemale,
      reasonForClinicalRecord: 'Finasteride 1 mg is licensed for men only.',
    },
    {
      id: 'patchy-or-sudden-loss',
      when: { op: 'equals', questionId: 'pattern', value: 'patches' },
      reasonForClinicalRecord: 'Patchy or sudden hair loss needs a GP assessment (possible alopecia areata).',
    },
    {
      id: 'finasteride-contraindication',
      when: { op: 'includesAny', questionId: 'conditions', values: ['prostateCancer', 'liverDisease'] },
      reasonForClinicalRecord: 'Prostate cancer or liver disease.',
    },
  ],
};
