import { useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';

/** What an order action answers: the order's status after it. */
export type ActionAnswer = { orderId?: string; status?: string };

/**
 * One POST from a form: busy while it runs, the API's problem if refused. The confirmation goes to
 * `onDone`, because a successful action usually changes the status and with it the form itself;
 * it may be worded from the answer (an update that changed nothing says so).
 */
export const useAction = (onDone: (confirmation: string) => void) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async (
    path: string,
    body: unknown,
    confirmation: string | ((answer: ActionAnswer) => string),
  ) => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = (await api.post<ActionAnswer | undefined>(path, body)) ?? {};
      onDone(typeof confirmation === 'string' ? confirmation : confirmation(answer));
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
