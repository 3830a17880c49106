import { useCallback } from 'react';
import { createSessionContext, useSessionState as useSharedSessionState, type SessionConfig } from '../../web/session';
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

export const { useSession, SessionProvider } = createSessionContext<Session>();

/** A token from the address lands on the inbox; a failed load is shown as the problem it was. */
const CONFIG: SessionConfig<unknown> = {
  tokenStore,
  onUnauthorized,
  afterAddressToken: () => `${location.pathname}#/inbox`,
  signInError: (error) => error,
};

export function useSessionState() {
  const { learnNames } = useI18n();
  const load = useCallback(async () => {
    const [me, units, catalog] = await Promise.all([get<Caller>('/me'), get<UnitView[]>('/units'), get<Catalog>('/procedures')]);
    learnNames(catalog.map((p) => ({ id: p.id, labels: p.labels })));
    return { me, units, catalog };
  }, [learnNames]);
  return useSharedSessionState(CONFIG, load);
}
