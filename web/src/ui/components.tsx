import { type ReactNode, useEffect, useRef } from 'react';
import type { Problem } from '../api/problem.js';
import { useSiteName } from './brand.js';
import { statusLabel } from './format.js';

/**
 * The page's title, focused when the page opens so screen readers announce where they landed; the
 * window's title names the page too, so tabs and history tell pages apart.
 */
export const PageHeading = ({ children }: { children: ReactNode }) => {
  const ref = useRef<HTMLHeadingElement>(null);
  const site = useSiteName();
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    const text = ref.current?.textContent?.trim();
    document.title = text && text !== site ? `${text} · ${site}` : site;
  });
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
};

const fieldName = (path: string) => path.replace(/^body\.?/, '').replaceAll('.', ' › ') || 'request';

/** What the API said when it refused: title, detail, and each invalid field. */
export const ProblemMessage = ({
  problem,
  heading,
}: {
  problem: Problem | null | undefined;
  heading?: string;
}) => {
  if (!problem) return null;
  return (
    <div className="problem" role="alert">
      <p className="problem-title">
        <strong>{heading ?? problem.title}</strong>
        {heading ? ` — ${problem.title}` : null}
      </p>
      {problem.detail ? <p>{problem.detail}</p> : null}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <span className="field-path">{fieldName(e.path)}</span>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

export const StatusBadge = ({ status }: { status: string }) => (
  <span className={`badge status-${status}`}>{statusLabel(status)}</span>
);

export const Loading = ({ what }: { what: string }) => (
  <p className="muted" role="status">
    Loading {what}…
  </p>
);

/** Previous, "Page n of m" (and whatever follows it), Next: a list's pages. */
export const Pager = ({
  page,
  pages,
  onPage,
  className = 'pager',
  children,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  className?: string;
  children?: ReactNode;
}) => (
  <nav className={className} aria-label="Pages">
    <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
      Previous
    </button>
    <span>
      Page {page} of {pages}
      {children}
    </span>
    <button type="button" className="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
      Next
    </button>
  </nav>
);

/** Terms and their values, as a description list. */
export const Facts = ({ children }: { children: ReactNode }) => <dl className="facts">{children}</dl>;

/** One term; a missing value reads as a dash rather than an empty gap. */
export const Fact = ({ term, children }: { term: string; children?: ReactNode }) => (
  <div>
    <dt>{term}</dt>
    <dd>
      {children === null || children === undefined || children === '' || children === false ? '—' : children}
    </dd>
  </div>
);
