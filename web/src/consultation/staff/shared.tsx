import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useConsultationSignals, useLive } from '../../live/LiveProvider.js';
import { formatDateTime } from '../../ui/format.js';
import { answerText } from '../format.js';
import type { Question, RenewalOverlap, ReviewFlags } from '../types.js';

/** How staff pages name the two sides of a consultation's messages. */
export const STAFF_NAMES = { clinician: 'Clinician', patient: 'Patient' } as const;

/** Looks again every `everyMs` while `active`. */
export const usePolling = (reload: () => void, everyMs = 5_000, active = true) => {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs, active]);
};

/**
 * When to read again after a change is announced: the queues' read model applies an event a moment
 * after the live feed announces it, so once soon and once more a little later.
 */
const READ_AFTER_MS = [150, 1_500];
/** While the live socket is not connected, the page looks again this often instead. */
const FALLBACK_POLL_MS = 5_000;

/**
 * Reads the page again when the live feed says a consultation moved (this one, or any for a
 * queue) and after a reconnect; polls only while the socket is down.
 */
export const useLiveConsultations = (
  reload: () => void,
  options: { consultationId?: string; active?: boolean } = {},
) => {
  const { consultationId, active = true } = options;
  const { status } = useLive();
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useConsultationSignals((signal) => {
    if (!active) return;
    if (signal.kind === 'change' && consultationId && signal.change.consultationId !== consultationId) return;
    for (const timer of timers.current) clearTimeout(timer);
    timers.current = READ_AFTER_MS.map((ms) => setTimeout(reload, ms));
  });
  useEffect(
    () => () => {
      for (const timer of timers.current) clearTimeout(timer);
    },
    [],
  );
  usePolling(reload, FALLBACK_POLL_MS, active && status.state !== 'live');
};

/**
 * The seed asks for the renewal overlap to be flagged prominently to the prescriber and to the
 * pharmacy team: a banner above everything else on the case, in words, not colour alone.
 */
export const OverlapBanner = ({ overlap }: { overlap: RenewalOverlap }) => (
  <div className="overlap-banner" role="note" aria-label="Renewal overlap" data-flag="renewal-overlap">
    <p className="overlap-title">
      <span aria-hidden="true">⚠ </span>Renewal overlap
    </p>
    <p>{overlap.banner.replace(/^RENEWAL OVERLAP:\s*/, '')}</p>
    <p className="hint">
      Earlier plan: <span className="mono">{overlap.activeConsultationId}</span>, active until{' '}
      {formatDateTime(overlap.activePlanEndsAt)}.
    </p>
  </div>
);

/** What changed since the patient's earlier submission: the clinician judges whether answers were gamed. */
export const RepeatSubmission = ({
  repeat,
  questions,
}: {
  repeat: NonNullable<ReviewFlags['repeatSubmission']>;
  questions: Map<string, Question>;
}) => (
  <section className="card flagged" aria-labelledby="repeat-heading" data-flag="repeat-submission">
    <h2 id="repeat-heading">Repeat submission</h2>
    <p>
      This patient submitted a consultation for this treatment before (
      <span className="mono">{repeat.priorConsultationId}</span>).{' '}
      {repeat.changes.length === 0
        ? 'No answer has changed since.'
        : `${repeat.changes.length} answer${repeat.changes.length === 1 ? ' has' : 's have'} changed since:`}
    </p>
    {repeat.changes.length > 0 ? (
      <table className="diff">
        <caption className="visually-hidden">Answers changed since the earlier submission</caption>
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Before</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {repeat.changes.map((change) => {
            const question = questions.get(change.questionId);
            return (
              <tr key={change.questionId}>
                <th scope="row">{change.questionText}</th>
                <td>
                  <del>{answerText(change.before, question)}</del>
                </td>
                <td>
                  <ins>{answerText(change.after, question)}</ins>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    ) : null}
  </section>
);

/** One titled block of a staff page. */
export const Section = ({
  title,
  children,
  className,
}: {
  title: string;
  children: ReactNode;
  className?: string;
}) => {
  const id = useId();
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
};

/** Vendor calls waiting on retries or flagged for a person, as the platform marks them. */
export const PendingMarker = ({ pending }: { pending: string | null }) =>
  pending ? <span className="flag flag-pending">{pending}</span> : null;

export const SuccessNote = ({ text }: { text: string | null }) => (
  <p className="success" role="status">
    {text ?? ''}
  </p>
);

/** One action on a case: its own heading, form and answer. */
export const ActionCard = ({ title, children }: { title: string; children: ReactNode }) => {
  const id = useId();
  return (
    <section className="action" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
};

/** A labelled multi-line text field: reasons, notes, questions. */
export const TextField = ({
  id,
  label,
  hint,
  value,
  onChange,
  required = true,
  minLength = 3,
  rows = 3,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange(value: string): void;
  required?: boolean;
  minLength?: number;
  rows?: number;
}) => (
  <div className="field">
    <label htmlFor={id}>{label}</label>
    {hint ? (
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    ) : null}
    <textarea
      id={id}
      required={required}
      minLength={required ? minLength : undefined}
      maxLength={2000}
      rows={rows}
      value={value}
      aria-describedby={hint ? `${id}-hint` : undefined}
      onChange={(event) => onChange(event.target.value)}
    />
  </div>
);
