import { answerConditionHolds } from '../../../../src/domain/consultation/conditions.js';
import {
  type QuestionError,
  type Questionnaire,
  validateStep,
  visibleAnswers,
} from '../../../../src/domain/consultation/questionnaire.js';
import type { Answers, AnswerValue, Question, QuestionnaireStep } from '../types.js';

/**
 * The wizard's rules, judged with the platform's own questionnaire functions so the page and the
 * server never disagree about what is shown, required or valid.
 */
export type WizardQuestionnaire = { version: string; steps: readonly QuestionnaireStep[] };

const asQuestionnaire = (q: WizardQuestionnaire): Questionnaire => ({ ...q, autoDenyRules: [] });

/** What a form field holds while the patient types: text for numbers and dates, parsed on save. */
export type Draft = Record<string, AnswerValue | undefined>;

/** A number field's text as the answer the API takes; anything unreadable stays text to be refused. */
export const parseNumber = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
};

/** The draft's values as answers: blanks dropped, numbers parsed. */
export const toAnswers = (step: QuestionnaireStep, draft: Draft): Record<string, AnswerValue> => {
  const answers: Record<string, AnswerValue> = {};
  for (const question of step.questions) {
    const value = draft[question.id];
    if (value === undefined) continue;
    if (question.kind === 'number' && typeof value === 'string') {
      const parsed = parseNumber(value);
      if (parsed !== undefined) answers[question.id] = parsed;
    } else if (typeof value === 'string' && value.trim() === '' && question.kind !== 'text') {
      // An emptied date or choice is no answer at all.
    } else if (Array.isArray(value) && value.length === 0) {
      // No boxes ticked is no answer.
    } else answers[question.id] = value;
  }
  return answers;
};

/** Whether a question shows, given everything answered so far; decided in form order, as the server does. */
export const isShown = (questionnaire: WizardQuestionnaire, question: Question, answers: Answers) =>
  !question.showIf ||
  answerConditionHolds(question.showIf, visibleAnswers(asQuestionnaire(questionnaire), answers));

/** This step's answers to the questions the patient can see, for saving. */
export const shownAnswers = (
  questionnaire: WizardQuestionnaire,
  step: QuestionnaireStep,
  all: Answers,
): Record<string, AnswerValue> => {
  const visible = visibleAnswers(asQuestionnaire(questionnaire), all);
  const shown: Record<string, AnswerValue> = {};
  for (const question of step.questions) {
    const value = visible[question.id];
    if (value !== undefined) shown[question.id] = value;
  }
  return shown;
};

export const stepErrors = (
  questionnaire: WizardQuestionnaire,
  step: QuestionnaireStep,
  stepAnswers: Answers,
  earlier: Answers,
): QuestionError[] => validateStep(asQuestionnaire(questionnaire), step.id, stepAnswers, earlier);

/** Where a returning patient picks up: the first step not yet complete, or the check-your-answers page. */
export const resumeStep = (questionnaire: WizardQuestionnaire, answers: Answers): number => {
  const index = questionnaire.steps.findIndex((step) => {
    const own = Object.fromEntries(
      step.questions.filter((q) => answers[q.id] !== undefined).map((q) => [q.id, answers[q.id]!]),
    );
    return stepErrors(questionnaire, step, own, answers).length > 0;
  });
  return index === -1 ? questionnaire.steps.length : index;
};

/** What the patient reads when an answer is refused, per question kind. */
export const errorText = (question: Question | undefined, error: QuestionError): string => {
  const kind = question?.kind;
  const unit = question?.kind === 'number' && question.unit ? ` ${question.unit}` : '';
  switch (error.code) {
    case 'required':
      return kind === 'confirm'
        ? 'Tick the box to confirm'
        : kind === 'multi'
          ? 'Select at least one option'
          : kind === 'yesno' || kind === 'single'
            ? 'Select an answer'
            : kind === 'number'
              ? 'Enter a number'
              : kind === 'date'
                ? 'Enter a date'
                : 'Enter an answer';
    case 'wrong_type':
      return kind === 'number' ? 'Enter a number, like 72' : 'Enter a valid answer';
    case 'below_min':
      if (question?.kind === 'number') return `Enter a value of at least ${question.min}${unit}`;
      if (question?.kind === 'multi')
        return `Select at least ${question.min} option${question.min === 1 ? '' : 's'}`;
      return error.message;
    case 'above_max':
      if (question?.kind === 'number') return `Enter a value of at most ${question.max}${unit}`;
      if (question?.kind === 'multi') return `Select at most ${question.max} options`;
      if (question?.kind === 'text') return `Use at most ${question.max} characters`;
      return error.message;
    case 'invalid_date':
      return 'Enter a real date';
    case 'unknown_option':
      return 'Choose one of the options';
    default:
      return error.message;
  }
};

/** The answers the server refused on save or submit, if it said which (domain `ANSWERS_INVALID`). */
export const refusedAnswers = (details: unknown): QuestionError[] => {
  const errors = (details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (e): e is QuestionError =>
      typeof e === 'object' && e !== null && typeof (e as QuestionError).questionId === 'string',
  );
};
