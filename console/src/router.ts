import { useEffect, useState } from 'react';

/** Pages are addressed by the fragment (`#/inbox`, `#/dossiers/ID`, `#/dashboard`): static files need no server routes. */
export type Route = { page: 'inbox' } | { page: 'dossier'; dossierId: string } | { page: 'dashboard' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const dossier = /^\/dossiers\/([A-Z0-9-]+)$/.exec(path);
  if (dossier?.[1]) return { page: 'dossier', dossierId: dossier[1] };
  if (path === '/dashboard') return { page: 'dashboard' };
  return { page: 'inbox' };
}

export const href = {
  inbox: '#/inbox',
  dashboard: '#/dashboard',
  dossier: (id: string) => `#/dossiers/${id}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
