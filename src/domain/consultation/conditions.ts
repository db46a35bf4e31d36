import { ageInYears, isCalendarDate } from './time.js';

export type AnswerValue = boolean | number | string | readonly string[];
/** A patient's answers keyed by question id; dates are `YYYY-MM-DD`, choices are option values. */
export type Answers = Readonly<Record<string, AnswerValue>>;

/** A test on one earlier answer: what `showIf` may use, since showing a question needs no clock. */
export type AnswerCondition =
  | { op: 'equals'; questionId: string; value: string | number | boolean }
  | { op: 'includesAny'; questionId: string; values: readonly string[] }
  | { op: 'numberBelow'; questionId: string; value: number }
  | { op: 'numberAbove'; questionId: string; value: number };

/** What an auto-deny rule may test: answers, age on the day of submission, BMI, and combinations. */
export type Condition =
  | AnswerCondition
  | { op: 'ageBelow'; questionId: string; years: number }
  | { op: 'ageAbove'; questionId: string; years: number }
  | { op: 'bmiBelow'; heightCmQuestionId: string; weightKgQuestionId: string; value: number }
  | { op: 'bmiAtLeast'; heightCmQuestionId: string; weightKgQuestionId: string; value: number }
  | { op: 'all'; conditions: readonly Condition[] }
  | { op: 'any'; conditions: readonly Condition[] };

const numberAnswer = (answers: Answers, id: string): number | null => {
  const value = answers[id];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

const dateAnswer = (answers: Answers, id: string): string | null => {
  const value = answers[id];
  return typeof value === 'string' && isCalendarDate(value) ? value : null;
};

export const bmiOf = (heightCm: number, weightKg: number): number => weightKg / (heightCm / 100) ** 2;

/** An unanswered question never matches: absence is judged by validation, not by rules. */
export const answerConditionHolds = (condition: AnswerCondition, answers: Answers): boolean => {
  const value = answers[condition.questionId];
  switch (condition.op) {
    case 'equals':
      return value === condition.value;
    case 'includesAny': {
      const chosen: readonly unknown[] = Array.isArray(value) ? value : [value];
      return condition.values.some((v) => chosen.includes(v));
    }
    case 'numberBelow': {
      const n = numberAnswer(answers, condition.questionId);
      return n !== null && n < condition.value;
    }
    case 'numberAbove': {
      const n = numberAnswer(answers, condition.questionId);
      return n !== null && n > condition.value;
    }
  }
};

export const conditionHolds = (condition: Condition, answers: Answers, now: string): boolean => {
  switch (condition.op) {
    case 'ageBelow':
    case 'ageAbove': {
      const dob = dateAnswer(answers, condition.questionId);
      if (dob === null) return false;
      const age = ageInYears(dob, now);
      return condition.op === 'ageBelow' ? age < condition.years : age > condition.years;
    }
    case 'bmiBelow':
    case 'bmiAtLeast': {
      const height = numberAnswer(answers, condition.heightCmQuestionId);
      const weight = numberAnswer(answers, condition.weightKgQuestionId);
      if (height === null || weight === null || height <= 0) return false;
      const bmi = bmiOf(height, weight);
      return condition.op === 'bmiBelow' ? bmi < condition.value : bmi >= condition.value;
    }
    case 'all':
      return condition.conditions.every((c) => conditionHolds(c, answers, now));
    case 'any':
      return condition.conditions.some((c) => conditionHolds(c, answers, now));
    default:
      return answerConditionHolds(condition, answers);
  }
};
