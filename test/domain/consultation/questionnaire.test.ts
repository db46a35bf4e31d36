import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/domain/consultation/catalogue.js';
import {
  type Answers,
  AUTO_DENY_PATIENT_MESSAGE,
  diffAnswers,
  evaluateAutoDeny,
  type Questionnaire,
  questionsOf,
  validateAnswers,
  validateStep,
} from '../../../src/domain/consultation/questionnaire.js';
import { weightLoss, weightLossAnswers } from './fixtures.js';

const NOW = '2026-03-02T09:00:00.000Z';
const questionnaire = weightLoss.questionnaire;

const small: Questionnaire = {
  version: 'test-1',
  steps: [
    {
      id: 'one',
      title: 'One',
      questions: [
        { id: 'smoker', text: 'Do you smoke?', kind: 'yesno', required: true },
        {
          id: 'perDay',
          text: 'How many a day?',
          kind: 'number',
          required: true,
          min: 1,
          max: 80,
          showIf: { op: 'equals', questionId: 'smoker', value: true },
        },
        {
          id: 'symptoms',
          text: 'Symptoms',
          kind: 'multi',
          required: true,
          min: 1,
          max: 2,
          options: [
            { value: 'a', label: 'A' },
            { value: 'b', label: 'B' },
            { value: 'c', label: 'C' },
          ],
        },
      ],
    },
    {
      id: 'two',
      title: 'Two',
      questions: [
        { id: 'dob', text: 'Date of birth', kind: 'date', required: true },
        { id: 'notes', text: 'Anything else?', kind: 'text', required: false, max: 10 },
      ],
    },
  ],
  autoDenyRules: [
    {
      id: 'heavy-smoker',
      when: { op: 'numberAbove', questionId: 'perDay', value: 20 },
      reasonForClinicalRecord: 'Heavy smoker.',
    },
    {
      id: 'under-18',
      when: { op: 'ageBelow', questionId: 'dob', years: 18 },
      reasonForClinicalRecord: 'Minor.',
    },
  ],
};

describe('questionnaire validation', () => {
  it('given a step, when every required answer is present and well-formed, then there are no errors', () => {
    expect(validateStep(small, 'one', { smoker: true, perDay: 10, symptoms: ['a'] })).toEqual([]);
  });

  it('reports every problem in a step, one per question', () => {
    const errors = validateStep(small, 'one', { smoker: 'yes', symptoms: ['a', 'b', 'c'], extra: 1 });
    expect(errors.map((e) => [e.questionId, e.code])).toEqual([
      ['extra', 'unknown_question'],
      ['smoker', 'wrong_type'],
      ['symptoms', 'above_max'],
    ]);
  });

  it('a question hidden by showIf is neither required nor judged', () => {
    expect(validateStep(small, 'one', { smoker: false, symptoms: ['b'] })).toEqual([]);
    expect(validateStep(small, 'one', { smoker: true, symptoms: ['b'] })).toEqual([
      { questionId: 'perDay', code: 'required', message: 'an answer is required' },
    ]);
  });

  it('judges visibility on earlier steps passed as context', () => {
    const later: Questionnaire = {
      ...small,
      steps: [
        small.steps[0]!,
        {
          id: 'two',
          title: 'Two',
          questions: [
            {
              id: 'quitDate',
              text: 'When will you quit?',
              kind: 'date',
              required: true,
              showIf: { op: 'equals', questionId: 'smoker', value: true },
            },
          ],
        },
      ],
    };
    expect(validateStep(later, 'two', {}, { smoker: false })).toEqual([]);
    expect(validateStep(later, 'two', {}, { smoker: true }).map((e) => e.code)).toEqual(['required']);
  });

  it('checks numbers against min and max, options against the list, and dates against the calendar', () => {
    const codes = (answers: Answers) =>
      validateAnswers(small, answers).map((e) => `${e.questionId}:${e.code}`);
    expect(
      codes({ smoker: true, perDay: 0, symptoms: ['z'], dob: '2001-02-29', notes: 'far too long' }),
    ).toEqual(['perDay:below_min', 'symptoms:unknown_option', 'dob:invalid_date', 'notes:above_max']);
  });

  it('an unknown step is an error, not an empty pass', () => {
    expect(validateStep(small, 'nope', {}).map((e) => e.code)).toEqual(['unknown_step']);
  });

  it('the weight-loss questionnaire accepts a complete, truthful set of answers', () => {
    expect(validateAnswers(questionnaire, weightLossAnswers)).toEqual([]);
  });
});

describe('the final confirmation', () => {
  const confirmations = CATALOGUE.map((product) => ({
    product: product.id,
    question: questionsOf(product.questionnaire).find((q) => q.id === 'answersTruthful'),
  }));

  it('is a checkbox to tick in every questionnaire, not a Yes/No that a "No" turns into a denial', () => {
    for (const { question } of confirmations) expect(question?.kind).toBe('confirm');
    for (const product of CATALOGUE)
      expect(product.questionnaire.autoDenyRules.map((r) => r.id)).not.toContain('answers-not-confirmed');
  });

  it('given the box left unticked, when the step is saved, then it asks for the tick instead of denying', () => {
    expect(validateStep(questionnaire, 'confirm', {}).map((e) => [e.questionId, e.code])).toEqual([
      ['answersTruthful', 'required'],
    ]);
    expect(validateStep(questionnaire, 'confirm', { answersTruthful: false }).map((e) => e.code)).toEqual([
      'required',
    ]);
    expect(validateStep(questionnaire, 'confirm', { answersTruthful: true })).toEqual([]);
  });
});

describe('auto-deny rules', () => {
  it('passes answers that trip no rule', () => {
    expect(
      evaluateAutoDeny(small, { smoker: true, perDay: 5, symptoms: ['a'], dob: '1990-01-01' }, NOW),
    ).toEqual({
      denied: false,
    });
  });

  it('lists every rule tripped, for the clinical record', () => {
    expect(
      evaluateAutoDeny(small, { smoker: true, perDay: 30, symptoms: ['a'], dob: '2010-06-01' }, NOW),
    ).toEqual({
      denied: true,
      ruleIds: ['heavy-smoker', 'under-18'],
    });
  });

  it('judges age on the day of submission: 18 on the birthday itself, not the day before', () => {
    const at18 = { smoker: false, symptoms: ['a'], dob: '2008-03-02' };
    expect(evaluateAutoDeny(small, at18, '2026-03-01T23:59:59.000Z')).toEqual({
      denied: true,
      ruleIds: ['under-18'],
    });
    expect(evaluateAutoDeny(small, at18, '2026-03-02T00:00:00.000Z')).toEqual({ denied: false });
  });

  it('ignores answers to questions the patient could not see', () => {
    expect(
      evaluateAutoDeny(small, { smoker: false, perDay: 40, symptoms: ['a'], dob: '1990-01-01' }, NOW),
    ).toEqual({
      denied: false,
    });
  });

  it('weight loss: BMI under 27 is denied; 27–30 only with a weight-related condition', () => {
    const bmi = (weightKg: number, weightRelatedCondition: boolean) =>
      evaluateAutoDeny(
        questionnaire,
        { ...weightLossAnswers, heightCm: 180, weightKg, weightRelatedCondition },
        NOW,
      );
    expect(bmi(85, true)).toEqual({ denied: true, ruleIds: ['bmi-below-27'] }); // 26.2
    expect(bmi(90, false)).toEqual({ denied: true, ruleIds: ['bmi-below-30-without-comorbidity'] }); // 27.8
    expect(bmi(90, true)).toEqual({ denied: false });
    expect(bmi(100, false)).toEqual({ denied: false }); // 30.9
  });

  it('the patient-facing message never names the failing answer, question or rule', () => {
    for (const product of CATALOGUE) {
      const q = product.questionnaire;
      const secrets = [
        ...q.autoDenyRules.flatMap((r) => [r.id, r.reasonForClinicalRecord]),
        ...questionsOf(q).flatMap((question) => [
          question.id,
          question.text,
          ...('options' in question ? question.options.map((o) => o.label) : []),
        ]),
      ];
      for (const secret of secrets) expect(AUTO_DENY_PATIENT_MESSAGE).not.toContain(secret);
    }
    expect(AUTO_DENY_PATIENT_MESSAGE).toMatch(/GP/);
  });
});

describe('answer diff (Phase 10 repeat submissions)', () => {
  it('lists changed answers in form order with the question text', () => {
    const earlier = { ...weightLossAnswers, weightKg: 80, conditions: ['pancreatitis'] };
    expect(diffAnswers(questionnaire, earlier, weightLossAnswers)).toEqual([
      { questionId: 'weightKg', questionText: 'Your weight', before: 80, after: 105 },
      {
        questionId: 'conditions',
        questionText: 'Have you ever had any of the following?',
        before: ['pancreatitis'],
        after: ['none'],
      },
    ]);
  });

  it('treats multiple choices as a set and records added and removed answers', () => {
    expect(
      diffAnswers(
        small,
        { symptoms: ['a', 'b'], notes: 'x', retired: true },
        { symptoms: ['b', 'a'], dob: '1990-01-01' },
      ),
    ).toEqual([
      { questionId: 'dob', questionText: 'Date of birth', before: null, after: '1990-01-01' },
      { questionId: 'notes', questionText: 'Anything else?', before: 'x', after: null },
      { questionId: 'retired', questionText: 'retired', before: true, after: null },
    ]);
  });

  it('identical submissions have no differences', () => {
    expect(diffAnswers(questionnaire, weightLossAnswers, { ...weightLossAnswers })).toEqual([]);
  });
});
