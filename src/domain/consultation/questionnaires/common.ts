import type { AutoDenyRule, Question, QuestionnaireStep } from '../questionnaire.js';

/** Questions and rules every consultation asks; each product adds its own clinical steps. */

export const yes = (questionId: string) => ({ op: 'equals', questionId, value: true }) as const;

export const dateOfBirth: Question = {
  id: 'dateOfBirth',
  text: 'What is your date of birth?',
  kind: 'date',
  required: true,
};

export const sexAtBirth: Question = {
  id: 'sexAtBirth',
  text: 'What sex were you assigned at birth?',
  kind: 'single',
  required: true,
  options: [
    { value: 'female', label: 'Female' },
    { value: 'male', label: 'Male' },
  ],
};

export const isFemale = { op: 'equals', questionId: 'sexAtBirth', value: 'female' } as const;
export const isMale = { op: 'equals', questionId: 'sexAtBirth', value: 'male' } as const;

/** The GP letter goes out before dispatch, so a patient must have a UK GP to write to. */
const gpQuestions: Question[] = [
  {
    id: 'registeredWithUkGp',
    text: 'Are you registered with a GP practice in the UK?',
    kind: 'yesno',
    required: true,
  },
  {
    id: 'gpPractice',
    text: 'What is the name and address of your GP practice?',
    kind: 'text',
    required: true,
    max: 300,
    showIf: yes('registeredWithUkGp'),
  },
];

export const aboutYouStep = (extra: readonly Question[] = []): QuestionnaireStep => ({
  id: 'about-you',
  title: 'About you',
  questions: [dateOfBirth, sexAtBirth, ...extra, ...gpQuestions],
});

export const medicinesStep: QuestionnaireStep = {
  id: 'medicines',
  title: 'Medicines and allergies',
  questions: [
    {
      id: 'otherMedicines',
      text: 'List any medicines you take, including ones bought without a prescription (or "none").',
      kind: 'text',
      required: true,
      max: 1000,
    },
    {
      id: 'allergies',
      text: 'Do you have any allergies to medicines? If so, which?',
      kind: 'text',
      required: false,
      max: 500,
    },
  ],
};

export const pregnancyQuestion: Question = {
  id: 'pregnantOrBreastfeeding',
  text: 'Are you pregnant, trying to get pregnant or breastfeeding?',
  kind: 'yesno',
  required: true,
  showIf: isFemale,
};

export const confirmationStep: QuestionnaireStep = {
  id: 'confirm',
  title: 'Confirm',
  questions: [
    {
      id: 'answersTruthful',
      text: 'I confirm my answers are true and complete, and I will read the patient information leaflet.',
      kind: 'confirm',
      required: true,
    },
  ],
};

export const commonRules = (minimumAge: number): AutoDenyRule[] => [
  {
    id: 'under-minimum-age',
    when: { op: 'ageBelow', questionId: 'dateOfBirth', years: minimumAge },
    reasonForClinicalRecord: `Patient is under ${minimumAge}.`,
  },
  {
    id: 'no-uk-gp',
    when: { op: 'equals', questionId: 'registeredWithUkGp', value: false },
    reasonForClinicalRecord: 'Not registered with a UK GP: the GP cannot be informed before dispatch.',
  },
];
