import {
  type AnswerCondition,
  type Answers,
  type AnswerValue,
  answerConditionHolds,
  type Condition,
  conditionHolds,
} from './conditions.js';
import { isCalendarDate } from './time.js';

export type { AnswerCondition, Answers, AnswerValue, Condition } from './conditions.js';

export type QuestionOption = { value: string; label: string };

type QuestionBase = {
  id: string;
  text: string;
  required: boolean;
  /** Shown only when an earlier answer matches; a hidden question is neither required nor judged. */
  showIf?: AnswerCondition;
};

/** `min`/`max` bound a number's value, a text's length and how many choices a multi allows. */
export type Question = QuestionBase &
  (
    | { kind: 'yesno' }
    /** A statement the patient ticks to agree to; unticked is unanswered, never a "no". */
    | { kind: 'confirm' }
    | { kind: 'single'; options: readonly QuestionOption[] }
    | { kind: 'multi'; options: readonly QuestionOption[]; min?: number; max?: number }
    | { kind: 'number'; min?: number; max?: number; unit?: string }
    | { kind: 'text'; max?: number }
    | { kind: 'date' }
  );

export type QuestionnaireStep = { id: string; title: string; questions: readonly Question[] };

/** The reason stays in the clinical record; the patient is only ever told to see their GP. */
export type AutoDenyRule = { id: string; when: Condition; reasonForClinicalRecord: string };

export type Questionnaire = {
  version: string;
  steps: readonly QuestionnaireStep[];
  autoDenyRules: readonly AutoDenyRule[];
};

export type QuestionErrorCode =
  | 'unknown_step'
  | 'unknown_question'
  | 'required'
  | 'wrong_type'
  | 'unknown_option'
  | 'below_min'
  | 'above_max'
  | 'invalid_date';

export type QuestionError = { questionId: string; code: QuestionErrorCode; message: string };

export type AutoDenyResult = { denied: false } | { denied: true; ruleIds: string[] };

export type AnswerChange = {
  questionId: string;
  questionText: string;
  before: AnswerValue | null;
  after: AnswerValue | null;
};

/**
 * All the patient is told on an auto-denial. It names no answer and no rule, so the form cannot be
 * probed for the answer that gets a treatment through.
 */
export const AUTO_DENY_PATIENT_MESSAGE =
  'Sorry, this treatment is not suitable for you to buy online. Please speak to your GP about other options.';

export const questionsOf = (questionnaire: Questionnaire): Question[] =>
  questionnaire.steps.flatMap((step) => step.questions);

/**
 * The answers to questions the patient could see. Visibility is decided in form order, so a
 * question hidden by an earlier answer hides whatever depends on it in turn.
 */
export const visibleAnswers = (questionnaire: Questionnaire, answers: Answers): Answers => {
  const visible: Record<string, AnswerValue> = {};
  for (const question of questionsOf(questionnaire)) {
    if (question.showIf && !answerConditionHolds(question.showIf, visible)) continue;
    const answer = answers[question.id];
    if (answer !== undefined) visible[question.id] = answer;
  }
  return visible;
};

const isVisible = (question: Question, answers: Answers) =>
  !question.showIf || answerConditionHolds(question.showIf, answers);

const error = (questionId: string, code: QuestionErrorCode, message: string): QuestionError => ({
  questionId,
  code,
  message,
});

const isBlank = (value: AnswerValue | undefined) =>
  value === undefined ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

const outOfRange = (
  questionId: string,
  amount: number,
  what: string,
  bounds: { min?: number; max?: number },
): QuestionError | null => {
  if (bounds.min !== undefined && amount < bounds.min)
    return error(questionId, 'below_min', `${what} must be at least ${bounds.min}`);
  if (bounds.max !== undefined && amount > bounds.max)
    return error(questionId, 'above_max', `${what} must be at most ${bounds.max}`);
  return null;
};

/** One answer against its question; null when it is acceptable. */
export const validateAnswer = (question: Question, value: AnswerValue | undefined): QuestionError | null => {
  if (isBlank(value) || (question.kind === 'confirm' && value === false))
    return question.required ? error(question.id, 'required', 'an answer is required') : null;
  const wrongType = error(question.id, 'wrong_type', `expected a ${question.kind} answer`);
  switch (question.kind) {
    case 'yesno':
      return typeof value === 'boolean' ? null : wrongType;
    case 'confirm':
      return value === true ? null : wrongType;
    case 'single':
      if (typeof value !== 'string') return wrongType;
      return question.options.some((o) => o.value === value)
        ? null
        : error(question.id, 'unknown_option', `"${value}" is not one of the options`);
    case 'multi': {
      if (!Array.isArray(value)) return wrongType;
      const unknown = value.filter((v) => !question.options.some((o) => o.value === v));
      if (unknown.length > 0)
        return error(question.id, 'unknown_option', `not options: ${unknown.join(', ')}`);
      return outOfRange(question.id, new Set(value).size, 'the number of choices', question);
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType;
      return outOfRange(question.id, value, 'the value', question);
    case 'text':
      return typeof value === 'string'
        ? outOfRange(question.id, value.length, 'the text length', question)
        : wrongType;
    case 'date':
      if (typeof value !== 'string') return wrongType;
      return isCalendarDate(value)
        ? null
        : error(question.id, 'invalid_date', 'expected a date as YYYY-MM-DD');
  }
};

const judge = (questions: readonly Question[], answers: Answers, context: Answers): QuestionError[] =>
  questions.flatMap((question) => {
    if (!isVisible(question, context)) return [];
    const problem = validateAnswer(question, answers[question.id]);
    return problem ? [problem] : [];
  });

const unknownKeys = (answers: Answers, known: ReadonlySet<string>, where: string): QuestionError[] =>
  Object.keys(answers)
    .filter((id) => !known.has(id))
    .map((id) => error(id, 'unknown_question', `no such question ${where}`));

/**
 * Errors in one wizard step, per question. `answers` are this step's; `context` holds the earlier
 * steps' answers that decide which of this step's questions are shown.
 */
export const validateStep = (
  questionnaire: Questionnaire,
  stepId: string,
  answers: Answers,
  context: Answers = {},
): QuestionError[] => {
  const step = questionnaire.steps.find((s) => s.id === stepId);
  if (!step)
    return [error(stepId, 'unknown_step', `no step "${stepId}" in questionnaire ${questionnaire.version}`)];
  const known = new Set(step.questions.map((q) => q.id));
  const merged = visibleAnswers(questionnaire, { ...context, ...answers });
  return [...unknownKeys(answers, known, `in step "${stepId}"`), ...judge(step.questions, answers, merged)];
};

/** Errors across the whole questionnaire, as checked once more on submission. */
export const validateAnswers = (questionnaire: Questionnaire, answers: Answers): QuestionError[] => {
  const questions = questionsOf(questionnaire);
  const known = new Set(questions.map((q) => q.id));
  return [
    ...unknownKeys(answers, known, 'in this questionnaire'),
    ...judge(questions, answers, visibleAnswers(questionnaire, answers)),
  ];
};

/** Which auto-deny rules the answers trip, judged on the visible answers and the patient's age `now`. */
export const evaluateAutoDeny = (
  questionnaire: Questionnaire,
  answers: Answers,
  now: string,
): AutoDenyResult => {
  const visible = visibleAnswers(questionnaire, answers);
  const ruleIds = questionnaire.autoDenyRules
    .filter((rule) => conditionHolds(rule.when, visible, now))
    .map((rule) => rule.id);
  return ruleIds.length > 0 ? { denied: true, ruleIds } : { denied: false };
};

/** Choices are sets: picking the same options in another order is not a change. */
const sameAnswer = (a: AnswerValue | null, b: AnswerValue | null): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = [...a].sort();
    const right = [...b].sort();
    return left.length === right.length && left.every((v, i) => v === right[i]);
  }
  return a === b;
};

/**
 * What changed between an earlier submission and a later one, in form order, for the clinician
 * judging a repeat submission (a patient denied once may change answers to get through).
 */
export const diffAnswers = (
  questionnaire: Questionnaire,
  earlier: Answers,
  later: Answers,
): AnswerChange[] => {
  const texts = new Map(questionsOf(questionnaire).map((q) => [q.id, q.text]));
  const retired = [...new Set([...Object.keys(earlier), ...Object.keys(later)])]
    .filter((id) => !texts.has(id))
    .sort();
  return [...texts.keys(), ...retired].flatMap((questionId) => {
    const before = earlier[questionId] ?? null;
    const after = later[questionId] ?? null;
    if (sameAnswer(before, after)) return [];
    return [{ questionId, questionText: texts.get(questionId) ?? questionId, before, after }];
  });
};
