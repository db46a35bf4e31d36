import { useEffect, useRef } from 'react';
import type { Resource } from '../ui/useResource.js';

const RETRY_MS = 150;
const MAX_RETRIES = 40;

/**
 * Loads again, shortly, while `behind(data)` says the read model has not yet applied a change the
 * live feed announced: the page settles on the current state without showing a stale one for good.
 */
export const useCatchUp = <T>(resource: Resource<T>, behind: (data: T) => boolean) => {
  const retries = useRef(0);
  const { data, loading, reload } = resource;
  const isBehind = data !== undefined && behind(data);
  // Runs again after every load (loading goes true, then false), so each stale answer gets a retry.
  useEffect(() => {
    if (loading) return;
    if (!isBehind) {
      retries.current = 0;
      return;
    }
    if (retries.current >= MAX_RETRIES) return;
    retries.current += 1;
    const timer = setTimeout(reload, RETRY_MS);
    return () => clearTimeout(timer);
  }, [isBehind, loading, reload]);
};
