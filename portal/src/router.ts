import { useEffect, useState, type MouseEvent } from 'react';

/**
 * Pages are addressed by path under /portal/ (the API answers every such path with the portal's
 * index.html), so a mail's link to `/portal/dossiers/ID` opens that dossier, after sign-in if needed.
 */
export type Route =
  | { page: 'catalog' }
  | { page: 'file'; procedure: string }
  | { page: 'dossiers' }
  | { page: 'dossier'; dossierId: string };

export const BASE = '/portal';

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const dossier = /^\/dossiers\/([A-Z]{3}-\d{6}-[0-9A-Z]{6})\/?$/.exec(path);
  if (dossier?.[1]) return { page: 'dossier', dossierId: dossier[1] };
  if (/^\/dossiers\/?$/.test(path)) return { page: 'dossiers' };
  const file = /^\/procedures\/([a-z0-9-]+)\/?$/.exec(path);
  if (file?.[1]) return { page: 'file', procedure: file[1] };
  return { page: 'catalog' };
}

export const href = {
  catalog: `${BASE}/`,
  dossiers: `${BASE}/dossiers`,
  dossier: (id: string) => `${BASE}/dossiers/${id}`,
  file: (procedure: string) => `${BASE}/procedures/${procedure}`,
};

const NAVIGATED = 'portal:navigate';

/** Goes to a portal page without reloading (the history keeps it: back and forward work), with a message for it to show. */
export function navigate(to: string, flash?: string): void {
  history.pushState(flash ? { flash } : null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo(0, 0);
}

/** A link's click as a navigation within the portal (a new tab or window stays the browser's). */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? href.catalog);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onChange);
    window.addEventListener(NAVIGATED, onChange);
    return () => {
      window.removeEventListener('popstate', onChange);
      window.removeEventListener(NAVIGATED, onChange);
    };
  }, []);
  return route;
}

/** The message the page was navigated to with (`navigate(to, flash)`), if any. */
export function flashOfPage(): string | undefined {
  const state: unknown = history.state;
  return typeof state === 'object' && state !== null && 'flash' in state && typeof state.flash === 'string' ? state.flash : undefined;
}
