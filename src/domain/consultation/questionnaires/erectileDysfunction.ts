import type { Questionnaire } from '../questionnaire.js';
import { aboutYouStep, commonRules, confirmationStep, isFemale, medicinesStep, yes } from './common.js';

export const erectileDysfunctionQuestionnaire: Questionnaire = {
  version: 'erectile-dysfunction-2026.1',
  steps: [
    aboutYouStep(),
    {
      id: 'heart',
      title: 'Your heart and circulation',
      questions: [
        {
          id: 'advisedAgainstSex',
          text: 'Has a doctor advised you to avoid sexual activity or strenuous exercise?',
          kind: 'yesno',
          required: true,
        },
        {
          id: 'recentHeartAttackOrStroke',
          text: 'Have you had a heart attack or stroke in the last 6 months?',
          kind: 'yesno',
          required: true,
        },
        {
          id: 'lowBloodPressure',
          text: 'Have you been told you have low blood pressure?',
          kind: 'yesno',
          required: true,
        },
      ],
    },
    {
      id: 'interactions',
      title: 'Other medicines and conditions',
      questions: [
        {
          id: 'interactingMedicines',
          text: 'Do you use any of the following?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'nitrates', label: 'Nitrates, such as GTN spray or isosorbide' },
            { value: 'poppers', label: 'Poppers (amyl nitrite)' },
            { value: 'riociguat', label: 'Riociguat' },
            { value: 'alphaBlockers', label: 'Alpha-blockers, such as doxazosin or tamsulosin' },
            { value: 'none', label: 'None of these' },
          ],
        },
        {
          id: 'conditions',
          text: 'Do you have any of the following?',
          kind: 'multi',
          required: true,
          min: 1,
          options: [
            { value: 'severeLiverProblems', label: 'Severe liver problems' },
            { value: 'retinitisPigmentosa', label: 'Retinitis pigmentosa' },
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
      reasonForClinicalRecord: 'Sildenafil 50 mg (P) is supplied to men only.',
    },
    {
      id: 'nitrate-or-riociguat',
      when: {
        op: 'includesAny',
        questionId: 'interactingMedicines',
        values: ['nitrates', 'poppers', 'riociguat'],
      },
      reasonForClinicalRecord: 'Uses nitrates, poppers or riociguat: dangerous fall in blood pressure.',
    },
    {
      id: 'cardiovascular-risk',
      when: {
        op: 'any',
        conditions: [yes('advisedAgainstSex'), yes('recentHeartAttackOrStroke'), yes('lowBloodPressure')],
      },
      reasonForClinicalRecord: 'Cardiovascular risk: needs GP assessment.',
    },
    {
      id: 'sildenafil-contraindication',
      when: {
        op: 'includesAny',
        questionId: 'conditions',
        values: ['severeLiverProblems', 'retinitisPigmentosa'],
      },
      reasonForClinicalRecord: 'Severe liver problems or retinitis pigmentosa.',
    },
  ],
};
