import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';

/** Where `npm run console:build` (and the bootstrap, when the sources changed) writes the staff console. */
export const CONSOLE_DIST = path.join(__dirname, '../console/dist');

/**
 * The console runs only its own files: scripts, styles, fonts and images from 'self' (no inline
 * script or style element, no eval), API calls to 'self', nothing framed, nothing fetched elsewhere.
 * (React sets element styles through the DOM, which CSP does not govern; data: images are the
 * form library's icons.)
 */
const CONSOLE_CSP = {
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

/**
 * `GET /console/`: the staff console's production build, as static files. Hashed assets are
 * cached for good; index.html is revalidated, so a new build is picked up at the next load.
 */
export function consoleStatic(dist = CONSOLE_DIST): Router {
  const router = Router();
  router.use(helmet.contentSecurityPolicy({ useDefaults: false, directives: CONSOLE_CSP }));
  router.use((req, res, next) => {
    if (existsSync(path.join(dist, 'index.html'))) return next();
    res.status(503).type('text/plain').send('The staff console is not built: run `npm run console:build` (npm start and npm test build it when its sources change).\n');
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
  return router;
}
