import { useEffect, useState } from 'react';
import { useLive } from './LiveProvider.js';

/** A small status light with words, so the state is never told by colour alone. */
export const LiveIndicator = () => {
  const { status } = useLive();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (status.state !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [status]);

  const text =
    status.state === 'live'
      ? 'Live'
      : status.state === 'connecting'
        ? 'Connecting…'
        : status.state === 'reconnecting'
          ? `Reconnecting${status.retryAt > now ? ` in ${Math.ceil((status.retryAt - now) / 1000)} s` : '…'}`
          : `Not live${status.reason ? ` (${status.reason})` : ''}`;
  return (
    <span
      className={`live live-${status.state}`}
      role="status"
      aria-live="polite"
      data-live-state={status.state}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
};
