import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';

/** Where `npm run console:build` (and the bootstrap, when the sources changed) writes the staff console. */
export const CONSOLE_DIST = path.join(__dirname, '../console/dist');
/** Where `npm run portal:build` (and the bootstrap, when the sources changed) writes the citizens' portal. */
export const PORTAL_DIST = path.join(__dirname, '../portal/dist');

/**
 * The console and the portal run only their own files: scripts, styles, fonts and images from 'self'
 * (no inline script or style element, no eval), API calls to 'self', nothing framed, nothing fetched
 * elsewhere. (React sets element styles through the DOM, which CSP does not govern; data: images are
 * the form library's icons.)
 */
const APP_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

interface BuiltApp {
  dist: string;
  /** What to tell when it is not built. */
  missing: string;
  /**
   * Pages addressed by path (`/portal/dossiers/ID`): a GET for a path that is no file gets index.html,
   * and the app reads the path. (The console addresses its pages by the fragment: it needs none.)
   */
  pathRouted?: boolean;
}

/**
 * A production build of a browser app, as static files. Hashed assets are cached for good;
 * index.html is revalidated, so a new build is picked up at the next load.
 */
function builtAppStatic({ dist, missing, pathRouted = false }: BuiltApp): Router {
  const router = Router();
  const index = path.join(dist, 'index.html');
  router.use(helmet.contentSecurityPolicy({ useDefaults: false, directives: APP_CSP }));
  router.use((_req, res, next) => {
    if (existsSync(index)) return next();
    res.status(503).type('text/plain').send(missing);
  });
  router.use(
    express.static(dist, {
      index: 'index.html',
      redirect: true,
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  if (pathRouted) {
    router.use((req, res, next) => {
      // A missing asset stays a 404; a page's path (no file extension) is the app's.
      if ((req.method !== 'GET' && req.method !== 'HEAD') || /\.[A-Za-z0-9]+$/.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  }
  return router;
}

/** `GET /console/`: the staff console's production build. */
export function consoleStatic(dist = CONSOLE_DIST): Router {
  return builtAppStatic({
    dist,
    missing: 'The staff console is not built: run `npm run console:build` (npm start and npm test build it when its sources change).\n',
  });
}

/** `GET /portal/…`: the citizens' portal's production build; every page's path loads its index.html. */
export function portalStatic(dist = PORTAL_DIST): Router {
  return builtAppStatic({
    dist,
    missing: "The citizens' portal is not built: run `npm run portal:build` (npm start and npm test build it when its sources change).\n",
    pathRouted: true,
  });
}
