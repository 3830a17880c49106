import type { Request, RequestHandler } from 'express';

/**
 * Mails sent before the citizens' portal linked to the API itself: a dossier, its document, its
 * notice's answer (`/respond`), a document's verification. A browser that follows one (it prefers
 * HTML to JSON and sends no token) is sent to the page that shows it: the portal's dossier page
 * (which asks the visitor to sign in first), or the public verification page. An API client (JSON,
 * `*` or a PDF preferred, or a bearer token) gets what it always got.
 */
const OLD_LINKS: ReadonlyArray<{ pattern: RegExp; page: (id: string) => string }> = [
  { pattern: /^\/dossiers\/([A-Z]{3}-\d{6}-[0-9A-Z]{6})(?:\/(?:document|respond))?\/?$/, page: (id) => `/portal/dossiers/${id}` },
  { pattern: /^\/documents\/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\/verify\/?$/, page: (code) => `/verify/${code}` },
];

/** A person's browser following a link: HTML preferred over JSON, no credentials. */
function isBrowserVisit(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.get('authorization') !== undefined) return false;
  // JSON first: a client that states no preference (or `*/*`) is an API client.
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** Mounted at the API's base (`/api/v1`), before its routes. */
export function browserLinks(): RequestHandler {
  return (req, res, next) => {
    const link = OLD_LINKS.map(({ pattern, page }) => ({ id: pattern.exec(req.path)?.[1], page })).find((l) => l.id !== undefined);
    if (!link?.id) return next();
    // The answer at these addresses depends on Accept (and on a token): caches must keep them apart.
    res.vary('Accept').vary('Authorization');
    if (!isBrowserVisit(req)) return next();
    res.redirect(303, link.page(link.id));
  };
}
