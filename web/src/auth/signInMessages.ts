import type { Problem } from '../api/problem.js';

/** What a person needs to read when sign-in is refused, per refusal. */
export const signInMessage = (problem: Problem, now: Date = new Date()): string => {
  switch (problem.status) {
    case 401:
      return 'The email or password is incorrect.';
    case 423: {
      const until = problem.lockedUntil ? new Date(problem.lockedUntil) : null;
      const when =
        until && until > now
          ? ` Try again after ${until.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}.`
          : ' Try again later.';
      return `Sign-in is paused after too many failed attempts.${when}`;
    }
    case 403:
      return 'This account does not have a role that can use these pages.';
    case 400:
      return 'Enter your email address and password.';
    case 0:
      return 'The server could not be reached. Check the connection and try again.';
    default:
      return problem.detail ?? problem.title;
  }
};

/** Only our own paths: `?next=//evil.example` must not send anyone elsewhere after sign-in. */
export const safeNext = (next: string | null) =>
  next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/login')
    ? next
    : null;
