import type { ReactNode } from 'react';
import type { AnswerValue, Question } from '../types.js';

type Props = {
  question: Question;
  value: AnswerValue | undefined;
  error: string | null;
  onChange(value: AnswerValue | undefined): void;
};

/** The element an error summary link moves focus to: the field, or a group's first choice. */
export const fieldId = (question: Question) =>
  question.kind === 'yesno' || question.kind === 'single' || question.kind === 'multi'
    ? `q-${question.id}-0`
    : `q-${question.id}`;

const ErrorLine = ({ id, error }: { id: string; error: string | null }) =>
  error ? (
    <p id={id} className="field-error">
      <span className="visually-hidden">Error: </span>
      {error}
    </p>
  ) : null;

const Optional = ({ question }: { question: Question }) =>
  question.required ? null : <span className="hint-inline"> (optional)</span>;

/** Choices share one pattern: a fieldset whose legend is the question, one control per option. */
const Choices = ({
  question,
  type,
  options,
  error,
  children,
}: {
  question: Question;
  type: 'radio' | 'checkbox';
  options: { value: string; label: string; checked: boolean; onChange(checked: boolean): void }[];
  error: string | null;
  children?: ReactNode;
}) => {
  const errorId = `q-${question.id}-error`;
  return (
    <fieldset
      className={`question${error ? ' has-error' : ''}`}
      aria-describedby={error ? errorId : undefined}
      data-question={question.id}
    >
      <legend>
        {question.text}
        <Optional question={question} />
      </legend>
      {type === 'checkbox' ? <p className="hint">Select all that apply.</p> : null}
      <ErrorLine id={errorId} error={error} />
      <div className={type === 'radio' && options.length === 2 ? 'choices inline-choices' : 'choices'}>
        {options.map((option, index) => (
          <div className="choice" key={option.value}>
            <input
              type={type}
              id={`q-${question.id}-${index}`}
              name={`q-${question.id}`}
              value={option.value}
              checked={option.checked}
              aria-invalid={error ? true : undefined}
              onChange={(event) => option.onChange(event.target.checked)}
            />
            <label htmlFor={`q-${question.id}-${index}`}>{option.label}</label>
          </div>
        ))}
      </div>
      {children}
    </fieldset>
  );
};

/** One question of the questionnaire, rendered from its data. */
export const QuestionField = ({ question, value, error, onChange }: Props) => {
  const id = `q-${question.id}`;
  const errorId = `${id}-error`;
  const described = error ? errorId : undefined;
  switch (question.kind) {
    case 'yesno':
      return (
        <Choices
          question={question}
          type="radio"
          error={error}
          options={[
            { value: 'yes', label: 'Yes', checked: value === true, onChange: () => onChange(true) },
            { value: 'no', label: 'No', checked: value === false, onChange: () => onChange(false) },
          ]}
        />
      );
    case 'confirm':
      // One box to tick: leaving it unticked asks again, it never answers "no".
      return (
        <div className={`field question${error ? ' has-error' : ''}`} data-question={question.id}>
          <ErrorLine id={errorId} error={error} />
          <div className="choice">
            <input
              id={id}
              type="checkbox"
              checked={value === true}
              aria-invalid={error ? true : undefined}
              aria-describedby={described}
              onChange={(event) => onChange(event.target.checked ? true : undefined)}
            />
            <label htmlFor={id}>{question.text}</label>
          </div>
        </div>
      );
    case 'single':
      return (
        <Choices
          question={question}
          type="radio"
          error={error}
          options={question.options.map((o) => ({
            ...o,
            checked: value === o.value,
            onChange: () => onChange(o.value),
          }))}
        />
      );
    case 'multi': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <Choices
          question={question}
          type="checkbox"
          error={error}
          options={question.options.map((o) => ({
            ...o,
            checked: chosen.includes(o.value),
            onChange: (checked) =>
              onChange(checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value)),
          }))}
        />
      );
    }
    case 'number':
      return (
        <div className={`field question${error ? ' has-error' : ''}`} data-question={question.id}>
          <label htmlFor={id}>
            {question.text}
            {question.unit ? ` (${question.unit})` : ''}
            <Optional question={question} />
          </label>
          <ErrorLine id={errorId} error={error} />
          <div className="with-unit">
            <input
              id={id}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              className="short"
              value={value === undefined ? '' : String(value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={described}
              onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
            />
            {question.unit ? <span aria-hidden="true">{question.unit}</span> : null}
          </div>
        </div>
      );
    case 'date':
      return (
        <div className={`field question${error ? ' has-error' : ''}`} data-question={question.id}>
          <label htmlFor={id}>
            {question.text}
            <Optional question={question} />
          </label>
          <ErrorLine id={errorId} error={error} />
          <input
            id={id}
            type="date"
            className="medium"
            value={typeof value === 'string' ? value : ''}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            onChange={(event) => onChange(event.target.value || undefined)}
          />
        </div>
      );
    case 'text':
      return (
        <div className={`field question${error ? ' has-error' : ''}`} data-question={question.id}>
          <label htmlFor={id}>
            {question.text}
            <Optional question={question} />
          </label>
          <ErrorLine id={errorId} error={error} />
          <textarea
            id={id}
            rows={3}
            maxLength={question.max}
            value={typeof value === 'string' ? value : ''}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            onChange={(event) => onChange(event.target.value)}
          />
        </div>
      );
  }
};
