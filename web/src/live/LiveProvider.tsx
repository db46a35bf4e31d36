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
import type { ConsultationChanged, OrderChanged } from './protocol.js';

/** A change, or `resync` once the feed has caught up again after a reconnect. */
export type LiveSignal = { kind: 'change'; change: OrderChanged } | { kind: 'resync' };
type Listener = (signal: LiveSignal) => void;
/** The same for consultations, on their own channel so order pages never reload for them. */
export type ConsultationSignal = { kind: 'change'; change: ConsultationChanged } | { kind: 'resync' };
type ConsultationListener = (signal: ConsultationSignal) => void;

type LiveContextValue = {
  status: LiveStatus;
  /** The most recent changes, newest first, each exactly once. */
  recent: OrderChanged[];
  listen(listener: Listener): () => void;
  listenConsultations(listener: ConsultationListener): () => void;
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
  const consultationListeners = useRef(new Set<ConsultationListener>());
  const latest = useRef(new Map<string, OrderChanged>());

  useEffect(() => {
    const emit = (signal: LiveSignal) => {
      for (const listener of listeners.current) listener(signal);
    };
    const emitConsultation = (signal: ConsultationSignal) => {
      for (const listener of consultationListeners.current) listener(signal);
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
      onConsultationChange(change) {
        emitConsultation({ kind: 'change', change });
      },
      onCaughtUp() {
        if (caughtUpBefore) {
          emit({ kind: 'resync' });
          emitConsultation({ kind: 'resync' });
        }
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
  const listenConsultations = useCallback((listener: ConsultationListener) => {
    consultationListeners.current.add(listener);
    return () => {
      consultationListeners.current.delete(listener);
    };
  }, []);
  const latestChange = useCallback((orderId: string) => latest.current.get(orderId), []);
  const value = useMemo<LiveContextValue>(
    () => ({ status, recent, listen, listenConsultations, latestChange }),
    [status, recent, listen, listenConsultations, latestChange],
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

/** Calls `onSignal` for every consultation change and resync; the latest callback is used. */
export const useConsultationSignals = (onSignal: ConsultationListener) => {
  const { listenConsultations } = useLive();
  const latest = useRef(onSignal);
  latest.current = onSignal;
  useEffect(() => listenConsultations((signal) => latest.current(signal)), [listenConsultations]);
};
