import type { Questionnaire } from '../questionnaire.js';
import { aboutYouStep, commonRules, confirmationStep, isMale, medicinesStep, yes } from './common.js';

const bmi = { heightCmQuestionId: 'heightCm', weightKgQuestionId: 'weightKg' } as const;

/** Rules follow the UKMEC category 4 (and common category 3) contraindications to combined pills. */
export const contraceptionQuestionnaire: Questionnaire = {
  version: 'combined-pill-2026.1',
  steps: [
    aboutYouStep(),
    {
      id: 'measurements',
      title: 'Blood pressure, height and weight',
      questions: [
        {
          id: 'heightCm',
          text: 'Your height',
          kind: 'number',
          unit: 'cm',
          required: true,
          min: 120,
          max: 230,
        },
        {
          id: 'weightKg',
          text: 'Your weight',
          kind: 'number',
          unit: 'kg',
          required: true,
          min: 30,
          max: 300,
        },
        {
          id: 'systolicBp',
          text: 'Your most recent blood pressure: the top number',
          kind: 'number',
          unit: 'mmHg',
          required: true,
          min: 70,
          max: 250,
        },
        {
          id: 'diastolicBp',
          text: 'Your most recent blood pressure: the bottom number',
          kind: 'number',
          unit: 'mmHg',
          required: true,
          min: 40,
          max: 150,
        },
      ],
    },
    {
      id: 'health',
      title: 'Your health',
      questions: [
        { id: 'smoker', text: 'Do you smoke or vape nicotine?', kind: 'yesno', required: true },
        { id: 'migraineWithAura', text: 'Do you get migraines with aura?', kind: 'yesno', required: true },
        {
          id: 'history',
          text: 'Have you or a close relative under 45 had any of the following?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'bloodClot', label: 'A blood clot (DVT or pulmonary embolism)' },
            { value: 'stroke', label: 'A stroke or heart attack' },
            { value: 'breastCancer', label: 'Breast cancer (you)' },
            { value: 'liverDisease', label: 'Severe liver disease (you)' },
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
      reasonForClinicalRecord: 'Combined pill requested for a male patient.',
    },
    {
      id: 'over-50',
      when: { op: 'ageAbove', questionId: 'dateOfBirth', years: 49 },
      reasonForClinicalRecord: 'Aged 50 or over: combined pill not advised.',
    },
    {
      id: 'smoker-35-or-over',
      when: {
        op: 'all',
        conditions: [yes('smoker'), { op: 'ageAbove', questionId: 'dateOfBirth', years: 34 }],
      },
      reasonForClinicalRecord: 'Smoker aged 35 or over (UKMEC 3/4).',
    },
    {
      id: 'bmi-35-or-over',
      when: { op: 'bmiAtLeast', ...bmi, value: 35 },
      reasonForClinicalRecord: 'BMI 35 or over (UKMEC 3).',
    },
    {
      id: 'high-blood-pressure',
      when: {
        op: 'any',
        conditions: [
          { op: 'numberAbove', questionId: 'systolicBp', value: 159 },
          { op: 'numberAbove', questionId: 'diastolicBp', value: 99 },
        ],
      },
      reasonForClinicalRecord: 'Blood pressure 160/100 or higher (UKMEC 4).',
    },
    {
      id: 'migraine-with-aura',
      when: yes('migraineWithAura'),
      reasonForClinicalRecord: 'Migraine with aura (UKMEC 4).',
    },
    {
      id: 'thrombosis-or-cancer-history',
      when: {
        op: 'includesAny',
        questionId: 'history',
        values: ['bloodClot', 'stroke', 'breastCancer', 'liverDisease'],
      },
      reasonForClinicalRecord: 'Thrombosis, stroke, breast cancer or liver disease history.',
    },
  ],
};
