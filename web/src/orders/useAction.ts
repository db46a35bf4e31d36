import { useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';

/**
 * One POST from a form: busy while it runs, the API's problem if refused. The confirmation goes to
 * `onDone`, because a successful action usually changes the status and with it the form itself.
 */
export const useAction = (onDone: (confirmation: string) => void) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async (path: string, body: unknown, confirmation: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(path, body);
      onDone(confirmation);
      return true;
    } catch (error) {
      setProblem(problemOf(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
};
