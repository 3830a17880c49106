import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { get, onUnauthorized, tokenStore } from './api';
import { useI18n } from './i18n';
import type { Caller, Catalog, UnitView } from './types';

/** The signed-in staff member, with what every page needs once: the units and the procedures' steps. */
export interface Session {
  me: Caller;
  units: UnitView[];
  catalog: Catalog;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

type State = { kind: 'loading' } | { kind: 'signed-out'; error?: unknown } | { kind: 'signed-in'; session: Omit<Session, 'signOut'> };

/**
 * Holds the token (sessionStorage: gone with the tab) and loads who it belongs to. A token from the
 * identity provider may also arrive in the address (`#token=…` or `#access_token=…`): it is taken
 * and removed from the address at once.
 */
export function useSessionState() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const { learnNames } = useI18n();

  const load = useCallback(async () => {
    if (!tokenStore.get()) return setState({ kind: 'signed-out' });
    try {
      const [me, units, catalog] = await Promise.all([get<Caller>('/me'), get<UnitView[]>('/units'), get<Catalog>('/procedures')]);
      learnNames(catalog.map((p) => ({ id: p.id, labels: p.labels })));
      setState({ kind: 'signed-in', session: { me, units, catalog } });
    } catch (error) {
      tokenStore.clear();
      setState({ kind: 'signed-out', error });
    }
  }, [learnNames]);

  useEffect(() => {
    const fromAddress = /(?:^|[#&])(?:access_)?token=([^&]+)/.exec(location.hash);
    if (fromAddress?.[1]) {
      tokenStore.set(decodeURIComponent(fromAddress[1]));
      history.replaceState(null, '', `${location.pathname}#/inbox`);
    }
    void load();
    return onUnauthorized(() => {
      tokenStore.clear();
      setState({ kind: 'signed-out' });
    });
  }, [load]);

  const signIn = useCallback(
    async (token: string) => {
      tokenStore.set(token);
      setState({ kind: 'loading' });
      await load();
    },
    [load],
  );
  const signOut = useCallback(() => {
    tokenStore.clear();
    setState({ kind: 'signed-out' });
  }, []);
  return { state, signIn, signOut };
}

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
