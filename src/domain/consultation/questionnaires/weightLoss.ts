import type { Questionnaire } from '../questionnaire.js';
import {
  aboutYouStep,
  commonRules,
  confirmationStep,
  medicinesStep,
  pregnancyQuestion,
  yes,
} from './common.js';

const bmi = { heightCmQuestionId: 'heightCm', weightKgQuestionId: 'weightKg' } as const;

export const weightLossQuestionnaire: Questionnaire = {
  version: 'weight-loss-2026.1',
  steps: [
    aboutYouStep(),
    {
      id: 'measurements',
      title: 'Height and weight',
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
          min: 40,
          max: 300,
        },
        {
          id: 'weightRelatedCondition',
          text: 'Do you have a weight-related condition such as type 2 diabetes, high blood pressure, high cholesterol or sleep apnoea?',
          kind: 'yesno',
          required: true,
        },
      ],
    },
    {
      id: 'health',
      title: 'Your health',
      questions: [
        {
          id: 'conditions',
          text: 'Have you ever had any of the following?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'pancreatitis', label: 'Pancreatitis' },
            {
              value: 'medullaryThyroidCancer',
              label: 'Medullary thyroid cancer or MEN2 (you or your family)',
            },
            { value: 'type1Diabetes', label: 'Type 1 diabetes' },
            { value: 'eatingDisorder', label: 'An eating disorder' },
            { value: 'gallbladderDisease', label: 'Gallbladder disease' },
            { value: 'none', label: 'None of these' },
          ],
        },
        pregnancyQuestion,
      ],
    },
    medicinesStep,
    confirmationStep,
  ],
  autoDenyRules: [
    ...commonRules(18),
    {
      id: 'over-75',
      when: { op: 'ageAbove', questionId: 'dateOfBirth', years: 75 },
      reasonForClinicalRecord: 'Over 75: outside the service’s prescribing protocol.',
    },
    {
      id: 'bmi-below-27',
      when: { op: 'bmiBelow', ...bmi, value: 27 },
      reasonForClinicalRecord: 'BMI below 27.',
    },
    {
      id: 'bmi-below-30-without-comorbidity',
      when: {
        op: 'all',
        conditions: [
          { op: 'bmiBelow', ...bmi, value: 30 },
          { op: 'equals', questionId: 'weightRelatedCondition', value: false },
        ],
      },
      reasonForClinicalRecord: 'BMI 27–29.9 without a weight-related comorbidity.',
    },
    {
      id: 'glp1-contraindication',
      when: {
        op: 'includesAny',
        questionId: 'conditions',
        values: ['pancreatitis', 'medullaryThyroidCancer', 'type1Diabetes', 'eatingDisorder'],
      },
      reasonForClinicalRecord: 'History of a condition contraindicating GLP-1 treatment.',
    },
    {
      id: 'pregnant-or-breastfeeding',
      when: yes('pregnantOrBreastfeeding'),
      reasonForClinicalRecord: 'Pregnant, planning pregnancy or breastfeeding.',
    },
  ],
};
