import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import { currentBrand, SiteName } from '../ui/brand.js';
import { PageHeading, ProblemMessage } from '../ui/components.js';
import { browserTimeZone, setDisplayTimeZone } from '../ui/zone.js';
import type { LinkProblem } from './linkProblems.js';

/**
 * Patients' pages: no staff navigation, no session, just the name of the business that serves them
 * (the US specialty pharmacy or the UK online one). Times are in the patient's own zone, the
 * browser's, named beside each time, never in the pharmacy's.
 */
export const PatientPage = ({ flow, children }: { flow: 'us' | 'uk'; children: ReactNode }) => {
  setDisplayTimeZone(browserTimeZone());
  return (
    <SiteName.Provider value={flow}>
      <header className="site-header patient-header">
        <span className="brand">{currentBrand()[flow]}</span>
      </header>
      <main id="main" className="page narrow">
        {children}
      </main>
    </SiteName.Provider>
  );
};

/**
 * Links expire and can be revoked: the patient asks for a new one with their e-mail address. The
 * answer is the same whatever the address, and the link goes only to the address on file.
 */
const NewLinkForm = () => {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      await api.post('/api/patient-links', { email: email.trim() });
      setSent(true);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  if (sent)
    return (
      <p className="notice" role="status">
        If we hold an order or consultation for this address, a new link is on its way to it.
      </p>
    );
  return (
    <form onSubmit={submit} className="stack" aria-labelledby="new-link-heading">
      <h2 id="new-link-heading">Get a new link</h2>
      <div className="field">
        <label htmlFor="new-link-email">Your e-mail address</label>
        <input
          id="new-link-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <ProblemMessage problem={problem} />
      <button type="submit">E-mail me a new link</button>
    </form>
  );
};

export const LinkProblemPage = ({
  flow,
  problem,
  offerNewLink,
}: {
  flow: 'us' | 'uk';
  problem: LinkProblem;
  offerNewLink?: boolean;
}) => (
  <PatientPage flow={flow}>
    <PageHeading>{problem.heading}</PageHeading>
    <p>{problem.text}</p>
    {offerNewLink ? <NewLinkForm /> : null}
  </PatientPage>
);
