import type { Questionnaire } from '../questionnaire.js';
import { aboutYouStep, commonRules, confirmationStep, isMale, medicinesStep, yes } from './common.js';

export const periodDelayQuestionnaire: Questionnaire = {
  version: 'period-delay-2026.1',
  steps: [
    aboutYouStep(),
    {
      id: 'health',
      title: 'Your health',
      questions: [
        {
          id: 'possiblyPregnant',
          text: 'Is there any chance you could be pregnant?',
          kind: 'yesno',
          required: true,
        },
        {
          id: 'firstDayOfLastPeriod',
          text: 'When did your last period start?',
          kind: 'date',
          required: true,
        },
        {
          id: 'history',
          text: 'Have you had any of the following?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'bloodClot', label: 'A blood clot (DVT or pulmonary embolism)' },
            { value: 'liverDisease', label: 'Liver disease' },
            { value: 'breastCancer', label: 'Breast cancer' },
            { value: 'porphyria', label: 'Porphyria' },
            { value: 'none', label: 'None of these' },
          ],
        },
      ],
    },
    medicinesStep,
    confirmationStep,
  ],
  autoDenyRules: [
    ...commonRules(16),
    {
      id: 'not-for-men',
      when: isMale,
      reasonForClinicalRecord: 'Period delay requested for a male patient.',
    },
    { id: 'possibly-pregnant', when: yes('possiblyPregnant'), reasonForClinicalRecord: 'Possibly pregnant.' },
    {
      id: 'norethisterone-contraindication',
      when: {
        op: 'includesAny',
        questionId: 'history',
        values: ['bloodClot', 'liverDisease', 'breastCancer', 'porphyria'],
      },
      reasonForClinicalRecord: 'VTE, liver disease, breast cancer or porphyria history.',
    },
  ],
};
