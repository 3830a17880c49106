import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { TokenStore } from './api';

/**
 * The sign-in state both apps share: the token in the tab's sessionStorage, who it belongs to loaded
 * once, and back to sign-in when the API refuses the token. A token from the identity provider may
 * also arrive in the address (`#token=…` or `#access_token=…`): it is taken and removed from the
 * address at once.
 */
export interface SessionConfig<SignInError> {
  tokenStore: TokenStore;
  onUnauthorized(listener: () => void): () => void;
  /** Where the address goes once a token is taken from it (the console's inbox; the portal's same path). */
  afterAddressToken(): string;
  /** What the sign-in page is told when loading the session failed. */
  signInError(error: unknown): SignInError;
}

export type SessionState<Loaded, SignInError> =
  | { kind: 'loading' }
  | { kind: 'signed-out'; error?: SignInError }
  | { kind: 'signed-in'; session: Loaded };

/**
 * The session's state, `load` fetching what every page needs once (the caller, the units, the
 * catalog); `load` must keep its identity between renders (a useCallback).
 */
export function useSessionState<Loaded, SignInError>(config: SessionConfig<SignInError>, load: () => Promise<Loaded>) {
  const [state, setState] = useState<SessionState<Loaded, SignInError>>({ kind: 'loading' });
  const { tokenStore, onUnauthorized, afterAddressToken, signInError } = config;

  const loadSession = useCallback(async () => {
    if (!tokenStore.get()) return setState({ kind: 'signed-out' });
    try {
      setState({ kind: 'signed-in', session: await load() });
    } catch (error) {
      tokenStore.clear();
      setState({ kind: 'signed-out', error: signInError(error) });
    }
  }, [load, tokenStore, signInError]);

  useEffect(() => {
    const fromAddress = /(?:^|[#&])(?:access_)?token=([^&]+)/.exec(location.hash);
    if (fromAddress?.[1]) {
      tokenStore.set(decodeURIComponent(fromAddress[1]));
      history.replaceState(null, '', afterAddressToken());
    }
    void loadSession();
    return onUnauthorized(() => {
      tokenStore.clear();
      setState({ kind: 'signed-out' });
    });
  }, [loadSession, tokenStore, onUnauthorized, afterAddressToken]);

  const signIn = useCallback(
    async (token: string, name?: string) => {
      tokenStore.set(token, name);
      setState({ kind: 'loading' });
      await loadSession();
    },
    [loadSession, tokenStore],
  );
  const signOut = useCallback(() => {
    tokenStore.clear();
    setState({ kind: 'signed-out' });
  }, [tokenStore]);
  return { state, signIn, signOut };
}

/** The signed-in session as a React context: `useSession()` in any page below its provider. */
export function createSessionContext<Session>() {
  const SessionContext = createContext<Session | null>(null);
  function useSession(): Session {
    const session = useContext(SessionContext);
    if (!session) throw new Error('useSession outside a signed-in page');
    return session;
  }
  function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
    return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  }
  return { useSession, SessionProvider };
}
