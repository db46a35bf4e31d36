import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { OrderDetail } from '../api/types.js';
import { ProblemMessage } from '../ui/components.js';
import type { useAction } from './useAction.js';

/** What every action card gets: the order as shown, and where to report success. */
export type ActionProps = { order: OrderDetail; onDone: (confirmation: string) => void };

export const Outcome = ({ action }: { action: ReturnType<typeof useAction> }) => (
  <ProblemMessage problem={action.problem} />
);

/** One action: its own heading (the region's name), form and answer. */
export const ActionCard = ({ title, children }: { title: string; children: ReactNode }) => {
  const id = useId();
  return (
    <section className="action" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
};

export const ReasonField = ({
  id,
  value,
  onChange,
  label = 'Reason',
}: {
  id: string;
  value: string;
  onChange(v: string): void;
  label?: string;
}) => (
  <div className="field">
    <label htmlFor={id}>{label}</label>
    <textarea
      id={id}
      required
      minLength={3}
      maxLength={500}
      rows={2}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  </div>
);

/** A field's own problem, tied to its input by `aria-describedby`. */
export const FieldError = ({ id, message }: { id: string; message: string | undefined }) =>
  message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;

/**
 * The step between pressing an irreversible action and sending it. What would be sent is kept
 * while the question is open; going back returns focus to the button that asked.
 */
export const useConfirmStep = <T,>() => {
  const [pending, setPending] = useState<T | null>(null);
  const askedFrom = useRef<HTMLButtonElement>(null);
  const [returnFocus, setReturnFocus] = useState(false);
  useEffect(() => {
    if (returnFocus && pending === null) {
      askedFrom.current?.focus();
      setReturnFocus(false);
    }
  }, [returnFocus, pending]);
  return {
    pending,
    askedFrom,
    ask: (value: T) => setPending(value),
    back: () => {
      setPending(null);
      setReturnFocus(true);
    },
    done: () => setPending(null),
  };
};

/**
 * Asks before something that cannot be undone. Not `window.confirm`: a named alert dialog in the
 * card, focused so a screen reader reads the question and its consequence; Escape goes back.
 */
export const ConfirmStep = ({
  question,
  consequence,
  confirmLabel,
  busy,
  onConfirm,
  onBack,
}: {
  question: string;
  consequence: ReactNode;
  confirmLabel: string;
  busy: boolean;
  onConfirm(): void;
  onBack(): void;
}) => {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      ref={ref}
      className="confirm"
      role="alertdialog"
      aria-labelledby={`${id}-question`}
      aria-describedby={`${id}-consequence`}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) onBack();
      }}
    >
      <p id={`${id}-question`} className="confirm-question">
        {question}
      </p>
      <p id={`${id}-consequence`}>{consequence}</p>
      <div className="button-row">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={onBack}>
          Go back
        </button>
      </div>
    </div>
  );
};
