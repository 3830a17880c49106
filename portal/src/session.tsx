import { useCallback } from 'react';
import { createSessionContext, useSessionState as useSharedSessionState, type SessionConfig } from '../../web/session';
import { get, onUnauthorized, tokenStore } from './api';
import { useI18n } from './i18n';
import type { Caller, Catalog, UnitView } from './types';

/** The signed-in citizen, with what every page needs once: the units and the procedures. */
export interface Session {
  me: Caller;
  /** The person's name when the sign-in knew it (demo citizens); the token carries none. */
  name: string | null;
  units: UnitView[];
  catalog: Catalog;
  signOut(): void;
}

export const { useSession, SessionProvider } = createSessionContext<Session>();

/** A token from the address leaves the page's path as it was (a mail's link lands where it points). */
const CONFIG: SessionConfig<string> = {
  tokenStore,
  onUnauthorized,
  afterAddressToken: () => location.pathname,
  signInError: (error) => (error instanceof Error ? error.message : String(error)),
};

export function useSessionState() {
  const { learnNames } = useI18n();
  const load = useCallback(async () => {
    const [me, units, catalog] = await Promise.all([get<Caller>('/me'), get<UnitView[]>('/units'), get<Catalog>('/catalog')]);
    learnNames(catalog);
    return { me, name: tokenStore.name(), units, catalog };
  }, [learnNames]);
  return useSharedSessionState(CONFIG, load);
}
