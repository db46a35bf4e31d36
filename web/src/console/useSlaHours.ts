import { useState } from 'react';
import { parseSlaHours, SLA_STORAGE_KEY } from './sla.js';

const read = () => {
  try {
    return parseSlaHours(window.localStorage.getItem(SLA_STORAGE_KEY));
  } catch {
    return parseSlaHours(null);
  }
};

/** The SLA is a per-desk preference, kept in this browser's localStorage. */
export const useSlaHours = () => {
  const [hours, setHours] = useState(read);
  const save = (next: number) => {
    if (!(next > 0)) return;
    setHours(next);
    try {
      window.localStorage.setItem(SLA_STORAGE_KEY, String(next));
    } catch {
      // Private mode or full storage: the setting lasts for this visit only.
    }
  };
  return [hours, save] as const;
};
