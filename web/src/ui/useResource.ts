import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { type Problem, problemOf } from '../api/problem.js';

export type Resource<T> = {
  data: T | undefined;
  problem: Problem | undefined;
  loading: boolean;
  /** Loads again, keeping what is shown until the answer arrives (no flicker on live refreshes). */
  reload(): void;
};

/** Loads when `deps` change; an answer that arrives after a newer request started is dropped. */
export const useResource = <T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): Resource<T> => {
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on.
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState((previous) => ({ data: previous.data, problem: problemOf(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: state.data, problem: state.problem, loading: state.loading, reload };
};
