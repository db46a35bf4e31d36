import {
  type Checkpoint,
  type ConsultationChanged,
  isNew,
  laterOf,
  type OrderChanged,
  parseLiveMessage,
  reconnectDelayMs,
  subscribeMessage,
} from './protocol.js';

export type LiveStatus =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'reconnecting'; retryAt: number }
  | { state: 'stopped'; reason?: string };

export type LiveFeedOptions = {
  url: string;
  onChange(change: OrderChanged): void;
  /** Sent only to roles that work the UK queues. */
  onConsultationChange?(change: ConsultationChanged): void;
  onStatus(status: LiveStatus): void;
  /** After each (re)subscription has replayed what was missed. */
  onCaughtUp?(): void;
  /** The server closed the socket because the session ended (4401): reconnecting cannot help. */
  onSessionEnded?(): void;
};

/** Close codes after which the same session cannot reconnect (see the server's protocol). */
const SESSION_ENDED = 4401;
const ROLE_REQUIRED = 4403;

/** `/api/live` on this page's own origin: the session cookie authenticates the socket. */
export const liveUrl = () => {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/live`;
};

/**
 * One socket to the live feed. It remembers the last checkpoint and, whenever the socket drops,
 * reconnects with back-off and subscribes after that checkpoint: the server replays what was missed,
 * and anything at or before the checkpoint is dropped here, so every change is shown exactly once.
 */
export const startLiveFeed = (options: LiveFeedOptions) => {
  let socket: WebSocket | null = null;
  let last: Checkpoint | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = () => {
    clearTimeout(retryTimer);
    if (stopped || socket) return;
    options.onStatus({ state: 'connecting' });
    const ws = new WebSocket(options.url);
    socket = ws;
    ws.onopen = () => ws.send(subscribeMessage(last));
    ws.onmessage = (event) => {
      if (socket !== ws || typeof event.data !== 'string') return;
      const message = parseLiveMessage(event.data);
      if (!message) return;
      if (message.type === 'caught-up') {
        last = laterOf(last, message.checkpoint);
        attempt = 0;
        options.onStatus({ state: 'live' });
        options.onCaughtUp?.();
        return;
      }
      if (!isNew(message.checkpoint, last)) return;
      last = message.checkpoint;
      if (message.type === 'order-changed') options.onChange(message);
      else options.onConsultationChange?.(message);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      if (event.code === SESSION_ENDED || event.code === ROLE_REQUIRED) {
        stopped = true;
        options.onStatus({
          state: 'stopped',
          reason: event.code === SESSION_ENDED ? 'session ended' : 'role required',
        });
        if (event.code === SESSION_ENDED) options.onSessionEnded?.();
        return;
      }
      const delay = reconnectDelayMs(attempt++);
      options.onStatus({ state: 'reconnecting', retryAt: Date.now() + delay });
      retryTimer = setTimeout(connect, delay);
    };
  };

  // The browser knows when the network comes back: do not wait out the back-off then.
  const online = () => {
    attempt = 0;
    connect();
  };
  const offline = () => socket?.close();
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  connect();

  return {
    lastCheckpoint: () => last,
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      socket?.close();
      socket = null;
      options.onStatus({ state: 'stopped' });
    },
  };
};
