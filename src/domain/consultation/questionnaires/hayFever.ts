import type { Questionnaire } from '../questionnaire.js';
import {
  aboutYouStep,
  commonRules,
  confirmationStep,
  medicinesStep,
  pregnancyQuestion,
  yes,
} from './common.js';

export const hayFeverQuestionnaire: Questionnaire = {
  version: 'hay-fever-2026.1',
  steps: [
    aboutYouStep(),
    {
      id: 'symptoms',
      title: 'Your symptoms',
      questions: [
        {
          id: 'symptoms',
          text: 'Which symptoms do you have?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'sneezing', label: 'Sneezing' },
            { value: 'runnyNose', label: 'Runny or blocked nose' },
            { value: 'itchyEyes', label: 'Itchy, watery eyes' },
            { value: 'wheezing', label: 'Wheezing or shortness of breath' },
          ],
        },
        {
          id: 'kidneyDisease',
          text: 'Do you have kidney disease?',
          kind: 'yesno',
          required: true,
        },
        pregnancyQuestion,
      ],
    },
    medicinesStep,
    confirmationStep,
  ],
  autoDenyRules: [
    ...commonRules(12),
    {
      id: 'breathing-symptoms',
      when: { op: 'includesAny', questionId: 'symptoms', values: ['wheezing'] },
      reasonForClinicalRecord: 'Wheeze or breathlessness: possible asthma, needs GP assessment.',
    },
    {
      id: 'kidney-disease',
      when: yes('kidneyDisease'),
      reasonForClinicalRecord: 'Kidney disease: dose needs medical supervision.',
    },
    {
      id: 'pregnant-or-breastfeeding',
      when: yes('pregnantOrBreastfeeding'),
      reasonForClinicalRecord: 'Pregnant, planning pregnancy or breastfeeding.',
    },
  ],
};
