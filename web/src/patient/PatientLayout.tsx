import type { ReactNode } from 'react';
import { PageHeading } from '../ui/components.js';
import type { LinkProblem } from './linkProblems.js';

/** Patients' pages: no staff navigation, no session, just the pharmacy's name. */
export const PatientPage = ({ children }: { children: ReactNode }) => (
  <>
    <header className="site-header patient-header">
      <span className="brand">Pharmacy</span>
    </header>
    <main id="main" className="page narrow">
      {children}
    </main>
  </>
);

export const LinkProblemPage = ({ problem }: { problem: LinkProblem }) => (
  <PatientPage>
    <PageHeading>{problem.heading}</PageHeading>
    <p>{problem.text}</p>
  </PatientPage>
);
