import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { ConsoleSettings } from '../api/types.js';
import { Loading } from '../ui/components.js';
import { setDisplayTimeZone } from '../ui/zone.js';

/**
 * Loads the pharmacy's settings for staff pages (its time zone) before drawing them, so every time
 * on screen is shown in the pharmacy's zone and names it (drawing first and again later would
 * remount the page under someone already typing).
 */
export const PharmacySettings = ({ children }: { children: ReactNode }) => {
  const [zone, setZone] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ConsoleSettings>('/api/console/settings', { signal: controller.signal })
      .then((settings) => {
        setDisplayTimeZone(settings.timeZone);
        setZone(settings.timeZone);
      })
      // Without them the browser's own zone is shown, still named: nothing to tell the user.
      .catch(() => {
        if (!controller.signal.aborted) setZone(null);
      });
    return () => controller.abort();
  }, []);
  if (zone === undefined) return <Loading what="the pharmacy's settings" />;
  return (
    <div data-time-zone={zone ?? ''} className="contents">
      {children}
    </div>
  );
};
