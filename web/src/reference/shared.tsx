import { useCallback, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';

/**
 * One change sent from a form: busy while it runs, the API's problem if refused, `onDone` with the
 * confirmation when accepted.
 */
export const useSave = (onDone: (confirmation: string) => void) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const send = async (method: 'POST' | 'PUT', path: string, body: unknown, confirmation: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await (method === 'POST' ? api.post(path, body) : api.put(path, body));
      onDone(confirmation);
      return true;
    } catch (error) {
      setProblem(problemOf(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, send };
};

/** The lists are read models a moment behind a change: read now and once more shortly after. */
export const useReloadSoon = (reload: () => void) =>
  useCallback(() => {
    reload();
    setTimeout(reload, 600);
  }, [reload]);

/** Empty text means "not known": sent as null, never as an empty string. */
export const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** "19.99" → 1999 pence, without floating point; null when it is not an amount. */
export const poundsToPence = (value: string): number | null => {
  const match = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(value.trim());
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : null;
};

export const penceToPounds = (pence: number) =>
  `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
