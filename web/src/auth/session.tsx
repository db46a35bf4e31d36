import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler } from '../api/client.js';
import { ApiError } from '../api/problem.js';
import type { SessionInfo, SignedIn, StaffUser } from '../api/types.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice: string | null }
  | { status: 'signed-in'; user: StaffUser };

type SessionContextValue = {
  state: SessionState;
  /** Throws the API's problem when sign-in is refused. */
  signIn(email: string, password: string): Promise<StaffUser>;
  signOut(notice?: string | null): Promise<void>;
  /** Reads the session again (after a change to the account itself); null when it has ended. */
  refresh(): Promise<StaffUser | null>;
};

const SessionContext = createContext<SessionContextValue | null>(null);

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    // The cookie survives a reload; the CSRF token does not, so ask the server for it again.
    api
      .get<SessionInfo>('/api/auth/me')
      .then((me) => {
        if (cancelled) return;
        setCsrfToken(me.csrfToken);
        setState({ status: 'signed-in', user: me.user });
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'signed-out', notice: null });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState({ status: 'signed-out', notice: 'Your session has ended. Sign in again to continue.' });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const session = await api.post<SignedIn>('/api/auth/login', { email, password });
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', user: session.user });
    return session.user;
  }, []);

  const signOut = useCallback(async (notice: string | null = null) => {
    try {
      await api.post('/api/auth/logout');
    } catch (error) {
      // Signing out of a session the server already forgot is still signing out.
      if (!(error instanceof ApiError)) throw error;
    }
    setCsrfToken(null);
    setState({ status: 'signed-out', notice });
  }, []);

  const refresh = useCallback(async () => {
    try {
      const me = await api.get<SessionInfo>('/api/auth/me');
      setCsrfToken(me.csrfToken);
      setState({ status: 'signed-in', user: me.user });
      return me.user;
    } catch {
      setCsrfToken(null);
      setState({ status: 'signed-out', notice: null });
      return null;
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = () => {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
};

/** The signed-in user; only for components rendered behind the sign-in gate. */
export const useStaffUser = (): StaffUser => {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useStaffUser without a session');
  return state.user;
};
