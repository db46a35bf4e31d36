import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { sessionEnded } from '../api/client.js';
import { type LiveStatus, liveUrl, startLiveFeed } from './liveFeed.js';
import type { OrderChanged } from './protocol.js';

/** A change, or `resync` once the feed has caught up again after a reconnect. */
export type LiveSignal = { kind: 'change'; change: OrderChanged } | { kind: 'resync' };
type Listener = (signal: LiveSignal) => void;

type LiveContextValue = {
  status: LiveStatus;
  /** The most recent changes, newest first, each exactly once. */
  recent: OrderChanged[];
  listen(listener: Listener): () => void;
  /** The newest change announced for an order, to tell whether a view read since is current. */
  latestChange(orderId: string): OrderChanged | undefined;
};

const RECENT_LIMIT = 50;
const LiveContext = createContext<LiveContextValue | null>(null);

/** One live socket per tab, shared by every staff page. */
export const LiveProvider = ({ children }: { children: ReactNode }) => {
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting' });
  const [recent, setRecent] = useState<OrderChanged[]>([]);
  const listeners = useRef(new Set<Listener>());
  const latest = useRef(new Map<string, OrderChanged>());

  useEffect(() => {
    const emit = (signal: LiveSignal) => {
      for (const listener of listeners.current) listener(signal);
    };
    let caughtUpBefore = false;
    const feed = startLiveFeed({
      url: liveUrl(),
      onStatus: setStatus,
      onChange(change) {
        latest.current.set(change.orderId, change);
        setRecent((list) => [change, ...list].slice(0, RECENT_LIMIT));
        emit({ kind: 'change', change });
      },
      onCaughtUp() {
        if (caughtUpBefore) emit({ kind: 'resync' });
        caughtUpBefore = true;
      },
      onSessionEnded: sessionEnded,
    });
    return () => feed.stop();
  }, []);

  const listen = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const latestChange = useCallback((orderId: string) => latest.current.get(orderId), []);
  const value = useMemo<LiveContextValue>(
    () => ({ status, recent, listen, latestChange }),
    [status, recent, listen, latestChange],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
};

export const useLive = () => {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLive outside LiveProvider');
  return value;
};

/** Calls `onSignal` for every live signal; the latest callback is used without resubscribing. */
export const useLiveSignals = (onSignal: Listener) => {
  const { listen } = useLive();
  const latest = useRef(onSignal);
  latest.current = onSignal;
  useEffect(() => listen((signal) => latest.current(signal)), [listen]);
};
