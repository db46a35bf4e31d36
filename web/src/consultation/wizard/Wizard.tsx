import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type Problem, problemOf } from '../../api/problem.js';
import { ProblemMessage } from '../../ui/components.js';
import { answerText } from '../format.js';
import { ConsultationApiError, consultationPath, patientRequest } from '../patientApi.js';
import type { Answers, AnswerValue, Question, QuestionnaireSubmitted } from '../types.js';
import { fieldId, QuestionField } from './QuestionField.js';
import {
  type Draft,
  errorText,
  isShown,
  refusedAnswers,
  resumeStep,
  shownAnswers,
  stepErrors,
  toAnswers,
  type WizardQuestionnaire,
} from './wizardLogic.js';

type Props = {
  consultationId: string;
  token: string;
  questionnaire: WizardQuestionnaire;
  /** The draft as the server holds it: where a returning patient resumes. */
  saved: Answers;
  renewal: boolean;
  onSubmitted(status: string): void;
};

type FieldErrors = Record<string, string>;

/**
 * The questionnaire, one step at a time, rendered from its data. Each step is checked here with
 * the platform's own rules and then saved as a draft, so a reload (or an e-mailed link next week)
 * resumes at the first unfinished step. The last page lists every answer to check before sending.
 */
export const Wizard = ({ consultationId, token, questionnaire, saved, renewal, onSubmitted }: Props) => {
  const steps = questionnaire.steps;
  const [index, setIndex] = useState(() => resumeStep(questionnaire, saved));
  const [draft, setDraft] = useState<Draft>(() => ({ ...saved }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const firstRender = useRef(true);

  // Moving between steps is a new page for a screen reader: announce it by focusing its heading.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    headingRef.current?.focus();
  }, [index]);

  const everything = (): Record<string, AnswerValue> =>
    Object.assign({}, ...steps.map((step) => toAnswers(step, draft)));

  const showErrors = (found: FieldErrors) => {
    setErrors(found);
    // The summary appears on the next render; focus it then so its links are read first.
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const questionById = (id: string): Question | undefined =>
    steps.flatMap((s) => s.questions).find((q) => q.id === id);

  const refused = (error: unknown): boolean => {
    if (!(error instanceof ConsultationApiError)) return false;
    const found = refusedAnswers(error.details);
    if (found.length === 0) return false;
    showErrors(
      Object.fromEntries(found.map((e) => [e.questionId, errorText(questionById(e.questionId), e)])),
    );
    return true;
  };

  const saveStep = async (event: FormEvent) => {
    event.preventDefault();
    const step = steps[index]!;
    const all = everything();
    const answers = shownAnswers(questionnaire, step, all);
    const found = stepErrors(questionnaire, step, answers, all);
    setProblem(null);
    setSavedNote(null);
    if (found.length > 0) {
      showErrors(
        Object.fromEntries(found.map((e) => [e.questionId, errorText(questionById(e.questionId), e)])),
      );
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await patientRequest(
        'PUT',
        consultationPath(consultationId, `/answers/${encodeURIComponent(step.id)}`),
        {
          token,
          body: { answers },
        },
      );
      setSavedNote(`Your answers to “${step.title}” are saved.`);
      setIndex(index + 1);
    } catch (error) {
      if (!refused(error)) setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await patientRequest<QuestionnaireSubmitted>(
        'POST',
        consultationPath(consultationId, '/submit'),
        {
          token,
        },
      );
      onSubmitted(result.status);
    } catch (error) {
      if (error instanceof ConsultationApiError && refusedAnswers(error.details).length > 0) {
        // Something on an earlier step is no longer acceptable: go back to it.
        const first = refusedAnswers(error.details)[0]!;
        const at = steps.findIndex((s) => s.questions.some((q) => q.id === first.questionId));
        if (at >= 0) setIndex(at);
        refused(error);
      } else setProblem(problemOf(error));
      setBusy(false);
    }
  };

  const total = steps.length;
  const onSummary = index >= total;
  const progress = (
    <div className="wizard-progress">
      <p className="muted" id="wizard-progress-text">
        {onSummary
          ? `Check your answers (step ${total + 1} of ${total + 1})`
          : `Step ${index + 1} of ${total + 1}`}
      </p>
      <progress
        max={total + 1}
        value={Math.min(index + 1, total + 1)}
        aria-labelledby="wizard-progress-text"
      />
    </div>
  );

  if (onSummary) {
    const all = everything();
    return (
      <section className="card wizard" aria-labelledby="wizard-step-heading">
        {progress}
        <h2 id="wizard-step-heading" ref={headingRef} tabIndex={-1}>
          {renewal ? 'Re-confirm your answers' : 'Check your answers'}
        </h2>
        {savedNote ? (
          <p className="success" role="status">
            {savedNote}
          </p>
        ) : null}
        <p>
          {renewal
            ? 'These are the answers you gave last time. If anything has changed, change it before you send them again.'
            : 'Check your answers before sending them. You cannot change them once sent.'}
        </p>
        {steps.map((step, at) => (
          <div key={step.id} className="answer-group">
            <div className="answer-group-head">
              <h3>{step.title}</h3>
              <button type="button" className="link-button" onClick={() => setIndex(at)}>
                Change<span className="visually-hidden"> {step.title.toLowerCase()}</span>
              </button>
            </div>
            <dl className="facts">
              {step.questions
                .filter((q) => isShown(questionnaire, q, all))
                .map((q) => (
                  <div key={q.id}>
                    <dt>{q.text}</dt>
                    <dd>{answerText(all[q.id], q)}</dd>
                  </div>
                ))}
            </dl>
          </div>
        ))}
        <ProblemMessage problem={problem} />
        <div className="button-row">
          <button type="button" onClick={submit} disabled={busy}>
            {busy ? 'Sending…' : 'Send my consultation'}
          </button>
          <button type="button" className="secondary" onClick={() => setIndex(total - 1)} disabled={busy}>
            Back
          </button>
        </div>
      </section>
    );
  }

  const step = steps[index]!;
  const all = everything();
  const shown = step.questions.filter((q) => isShown(questionnaire, q, all));
  const listed = shown.filter((q) => errors[q.id]);
  return (
    <section className="card wizard" aria-labelledby="wizard-step-heading">
      {progress}
      <h2 id="wizard-step-heading" ref={headingRef} tabIndex={-1}>
        {step.title}
      </h2>
      {savedNote ? (
        <p className="success" role="status">
          {savedNote}
        </p>
      ) : null}
      {listed.length > 0 ? (
        <div
          className="problem error-summary"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
          aria-labelledby="error-summary-title"
        >
          <p className="problem-title" id="error-summary-title">
            <strong>There is a problem</strong>
          </p>
          <ul>
            {listed.map((q) => (
              <li key={q.id}>
                <a
                  href={`#${fieldId(q)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(fieldId(q))?.focus();
                  }}
                >
                  {q.text}: {errors[q.id]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form onSubmit={saveStep} className="stack" noValidate>
        {shown.map((question) => (
          <QuestionField
            key={question.id}
            question={question}
            value={draft[question.id]}
            error={errors[question.id] ?? null}
            onChange={(value) => {
              setDraft((current) => ({ ...current, [question.id]: value }));
              if (errors[question.id])
                setErrors((current) => {
                  const { [question.id]: _gone, ...rest } = current;
                  return rest;
                });
            }}
          />
        ))}
        <ProblemMessage problem={problem} />
        <div className="button-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save and continue'}
          </button>
          {index > 0 ? (
            <button type="button" className="secondary" onClick={() => setIndex(index - 1)} disabled={busy}>
              Back
            </button>
          ) : null}
        </div>
        <p className="hint">
          Your answers are saved at each step: you can close this page and come back later.
        </p>
      </form>
    </section>
  );
};
