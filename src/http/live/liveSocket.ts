import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import { authenticateToken } from '../../stores/staffSessions.js';
import { hasAnyRole, type StaffRole, type StaffUser } from '../auth/roles.js';
import type { LiveFeed } from './liveFeed.js';
import { createLiveSubscriber, type Outbox } from './liveSubscriber.js';
import { CLOSE_CODES, clientMessageSchema, type LiveChange, type ServerMessage } from './protocol.js';

/** The part of a `ws` socket used here (the package ships no type declarations). */
export type LiveSocket = {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
  on(event: 'pong' | 'close', listener: () => void): void;
};

export type LiveSocketDeps = {
  pool: SqlPool;
  store: EventStore;
  clock: Clock;
  feed: LiveFeed;
  /** Roles that may hold a socket at all. */
  roles: readonly StaffRole[];
  /** Roles that receive each kind of change; a socket only ever sees the kinds its roles allow. */
  rolesFor: Record<LiveChange['type'], readonly StaffRole[]>;
  heartbeatMs: number;
  /** Staff sessions' idle timeout, as the HTTP edge applies it. */
  idleTimeoutMs?: number;
  replayBatchSize?: number;
  logError: (error: Error, what: string) => void;
};

/** Past this many unsent bytes a live client is too slow: it is closed and resumes by checkpoint. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** During a replay, wait for the client to take what was sent before reading more. */
const REPLAY_HIGH_WATER = 256 * 1024;
const OPEN = 1;

const textOf = (data: Buffer | ArrayBuffer | Buffer[]): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8');

const parseMessage = (text: string) => {
  try {
    const parsed = clientMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

const outboxFor = (socket: LiveSocket): Outbox => {
  let lastWrite: Promise<void> = Promise.resolve();
  return {
    send(message: ServerMessage) {
      if (socket.readyState !== OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED) {
        socket.close(CLOSE_CODES.tooSlow, 'too slow: reconnect from your last checkpoint');
        return;
      }
      lastWrite = new Promise((resolve) => socket.send(JSON.stringify(message), () => resolve()));
    },
    async drained() {
      if (socket.bufferedAmount > REPLAY_HIGH_WATER) await lastWrite;
    },
  };
};

/**
 * Serves one admitted socket: each client message is authorised again before it is read (the
 * session may have been revoked or lost its role since), and so is each heartbeat, so a silent
 * console is cut off too. A socket that missed the previous pong is dropped.
 */
export const serveLiveSocket = (socket: LiveSocket, token: string, deps: LiveSocketDeps): void => {
  const { pool, clock } = deps;
  /** As of the latest check: every message and heartbeat authenticates the session again. */
  let user: StaffUser | null = null;
  const subscriber = createLiveSubscriber({
    pool,
    store: deps.store,
    feed: deps.feed,
    outbox: outboxFor(socket),
    replayBatchSize: deps.replayBatchSize,
    mayReceive: (change) => user !== null && hasAnyRole(user, deps.rolesFor[change.type]),
  });
  let closed = false;
  let alive = true;
  let inbox: Promise<void> = Promise.resolve();

  const close = (code: number, reason: string) => {
    if (!closed) socket.close(code, reason);
  };

  const stillAllowed = async (): Promise<boolean> => {
    user = await authenticateToken(pool, token, clock, { idleTimeoutMs: deps.idleTimeoutMs });
    if (!user) close(CLOSE_CODES.sessionEnded, 'session ended: sign in again');
    else if (!hasAnyRole(user, deps.roles)) close(CLOSE_CODES.roleRequired, 'role required');
    else return true;
    return false;
  };

  const handle = async (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (closed || !(await stillAllowed()) || closed) return;
    const message = isBinary ? null : parseMessage(textOf(data));
    if (!message) return close(CLOSE_CODES.invalidMessage, 'invalid message');
    // Not awaited: a long replay must not hold up the next message (a new subscribe replaces it).
    subscriber.subscribe(message.after).catch((error: Error) => {
      deps.logError(error, 'live subscription failed');
      close(CLOSE_CODES.serverError, 'server error: reconnect from your last checkpoint');
    });
  };

  // One message at a time, in order: each is authorised before the next is read.
  socket.on('message', (data, isBinary) => {
    inbox = inbox
      .then(() => handle(data, isBinary))
      .catch((error: Error) => {
        deps.logError(error, 'live message failed');
        close(CLOSE_CODES.serverError, 'server error');
      });
  });
  socket.on('pong', () => {
    alive = true;
  });
  const heartbeat = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
    stillAllowed().catch(() => {}); // a database hiccup is no reason to drop a console
  }, deps.heartbeatMs);
  socket.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    subscriber.close();
  });
};
